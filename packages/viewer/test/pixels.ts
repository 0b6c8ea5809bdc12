// Pixel checks for uPlot canvases in the browser tests: how many pixels of an expected colour lie
// inside the plotting area (uPlot's .u-over box) and where, so a test can say "the bars are drawn
// in their colour, inside the axes" rather than only "the canvas is not blank".
import type { Page } from 'playwright-core';

export interface ColourCount {
  /** Pixels of the colour inside the plotting area, and outside it (axes, title, margins). */
  inside: number;
  outside: number;
  /** Inside, in the upper and the lower half of the plotting area. */
  upper: number;
  lower: number;
  /** Columns of the plotting area with the colour both near its top and near its bottom (full-height spans). */
  fullHeightColumns: number;
}

/**
 * Counts the pixels of the first canvas under `selector` within `tolerance` (per channel) of
 * `rgb`, an opaque colour as it appears on the white plot (a translucent fill: blend it first).
 *
 * @example
 * const rgb = blend('#1f77b4', 0xaa); // a fill with alpha 0xaa
 * const c = await colourCount(page, { selector: '[data-testid="isi-plot"]', rgb, tolerance: 12 });
 */
export function colourCount(
  page: Page,
  options: { selector: string; rgb: readonly [number, number, number]; tolerance: number },
): Promise<ColourCount> {
  return page.evaluate(({ selector, rgb, tolerance }) => {
    const box = document.querySelector(selector);
    const canvas = box?.querySelector('canvas');
    const over = box?.querySelector('.u-over');
    if (!canvas || !over) throw new Error(`${selector}: no uPlot canvas`);
    const cr = canvas.getBoundingClientRect(),
      or = over.getBoundingClientRect();
    const k = canvas.width / cr.width;
    const [x0, y0] = [Math.round((or.left - cr.left) * k), Math.round((or.top - cr.top) * k)];
    const [x1, y1] = [x0 + Math.round(or.width * k), y0 + Math.round(or.height * k)];
    const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    // the canvas is transparent where nothing is drawn: compare the colour as seen on the white page
    const hit = (x: number, y: number) => {
      const i = 4 * (y * width + x);
      const a = data[i + 3] / 255;
      if (a === 0) return false;
      for (let c = 0; c < 3; c++) if (Math.abs(data[i + c] * a + 255 * (1 - a) - rgb[c]) > tolerance) return false;
      return true;
    };
    const out = { inside: 0, outside: 0, upper: 0, lower: 0, fullHeightColumns: 0 };
    const mid = (y0 + y1) / 2;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        if (!hit(x, y)) continue;
        if (x >= x0 && x < x1 && y >= y0 && y < y1) {
          out.inside++;
          if (y < mid) out.upper++;
          else out.lower++;
        } else out.outside++;
      }
    for (let x = x0; x < x1; x++) if (hit(x, y0 + 2) && hit(x, y1 - 3)) out.fullHeightColumns++;
    return out;
  }, options);
}

/** `hex` drawn with alpha `alpha` (0–255) over white, as the canvas shows it. */
export function blend(hex: string, alpha: number): [number, number, number] {
  const a = alpha / 255;
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return c.map((v) => Math.round(a * v + (1 - a) * 255)) as [number, number, number];
}
