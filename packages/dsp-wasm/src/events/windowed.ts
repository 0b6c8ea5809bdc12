import { checkChoice, checkNumber } from '@spyglass-wasm/core';
import { bandReader, type BandFilterOptions, type RowReader } from '../lfp/band.js';
import { blockGap, blocksWithin, validBlocks } from './blocks.js';
import { type BandWindow, kayConsensusWindow, smoothedEnvelopeWindow } from './consensus.js';
import { type DetectedEvent, checkLengths, detectOnBlocks } from './detect-events.js';
import { frequencyAt, peakContext } from './peak-frequency.js';
import { type RippleDetectorOptions, detectorSettings, finiteRow, karlssonChannels } from './ripple-detectors.js';

export interface WindowedRippleOptions extends RippleDetectorOptions {
  /** 'kay' (default, as kayRippleDetector) or 'karlsson' (as karlssonRippleDetector). */
  detector?: 'kay' | 'karlsson';
  /** The ripple band-pass (bandFilter's band, transition, attenuation), applied window by window in float64. */
  band: Pick<BandFilterOptions, 'band' | 'transition' | 'attenuation'>;
  /** LFP rows per window (default 60 000, a minute at 1 kHz). */
  windowRows?: number;
  /**
   * Seconds of band on each side of a window that its envelope also sees (default 1, at least
   * 8 smoothing σ). The envelope of a window then differs from the whole block's by the tail of
   * Hilbert's 1/t kernel beyond it: under 3e-7 of the trace's scale at 1 s, ~4e-6 at 50 ms (tested);
   * near a block's ends by the whole block's FFT wrapping its far end around, which a window's
   * does not; and wherever the band holds low frequencies the stopband let through (a 60 dB
   * stopband passes ~1e-3 of an LFP's DC offsets), whose envelope is not local. Tested: on
   * simulated sessions events identical, z within 5e-6 relative (Kay) and 5e-5 (Karlsson); on a
   * SpikeGLX LF recording with offsets of thousands of µV, z within 1e-2 and 3 of 47 Karlsson
   * event edges one sample apart.
   */
  marginSeconds?: number;
}

const WINDOWED_DEFAULTS = { windowRows: 60_000, marginSeconds: 1 };

/**
 * kayRippleDetector / karlssonRippleDetector on the ripple band of a long LFP read in windows, so
 * memory holds a window of the LFP and a few numbers per sample (time, speed, the trace), never
 * the band of the whole session. The band is exact (each window filtered with the filter's reach
 * of LFP on each side, 'odd' padding at the recording's ends, float64 arithmetic: bandFilter with
 * precision 'float64' on the whole); the envelope is the block's within the window and
 * `marginSeconds` around it; the z-score, thresholds, speed gate and peak frequency are the whole
 * detectors' own code on the assembled trace.
 *
 * @example
 * const events = await detectRipplesInWindows(
 *   { rows, cols, read: (a, b) => lfp.read('data', a, b) as Promise<Float32Array> },
 *   { fs: 1000, time, speed, band: { band: [150, 250], transition: 25 } },
 * );
 */
export async function detectRipplesInWindows(lfp: RowReader, options: WindowedRippleOptions): Promise<DetectedEvent[]> {
  const n = checkNumber('rows', lfp.rows, { min: 0, integer: true });
  const { fs, sigma, time, s, envelope } = detectorSettings(n, 'filtered', options);
  checkLengths(n, options);
  const detector = checkChoice('detector', options.detector ?? 'kay', ['kay', 'karlsson'] as const);
  const windowRows = checkNumber('windowRows', options.windowRows ?? WINDOWED_DEFAULTS.windowRows, {
    min: 1,
    integer: true,
  });
  const margin = Math.ceil(
    fs * checkNumber('marginSeconds', options.marginSeconds ?? WINDOWED_DEFAULTS.marginSeconds, { min: 8 * sigma }),
  );
  const band = bandReader(lfp, { ...options.band, fs });
  const valid = new Uint8Array(n);
  const maxStep = blockGap(time);
  // each window's band with its margin and its blocks (the recording's, cut to the span); the
  // validity of its samples found on the way, or (`columns`: the band of those only) known already
  async function* windows(columns?: readonly [number, number]): AsyncGenerator<BandWindow> {
    for (let start = 0; start < n; start += windowRows) {
      const stop = Math.min(n, start + windowRows);
      const lo = Math.max(0, start - margin),
        hi = Math.min(n, stop + margin);
      const span = await band(lo, hi, columns);
      let ok = valid.subarray(lo, hi);
      if (!columns) {
        ok = new Uint8Array(hi - lo);
        for (let r = 0; r < ok.length; r++)
          ok[r] = finiteRow(span, r) && (!options.speed || Number.isFinite(options.speed[lo + r])) ? 1 : 0;
        valid.set(ok.subarray(start - lo, stop - lo), start);
      }
      yield { span, lo, start, stop, blocks: blocksWithin(ok, time, lo, maxStep) };
    }
  }
  let events: DetectedEvent[];
  if (detector === 'kay') {
    const trace = new Float64Array(n);
    for await (const w of windows()) trace.set(kayConsensusWindow(w, envelope), w.start);
    events = detectOnBlocks(trace, time, valid, validBlocks(valid, time), s, options);
  } else {
    // a channel pair at a time over all windows (two traces in memory, as forEachSmoothedEnvelope);
    // the first pass filters every channel (a sample is valid where all are finite), the others only
    // their pair (the span's channels 0 and 1 either way)
    let channels: ReturnType<typeof karlssonChannels> | undefined;
    for (let c0 = 0; c0 < lfp.cols; c0 += 2) {
      const width = Math.min(2, lfp.cols - c0);
      const traces = Array.from({ length: width }, () => new Float64Array(n));
      for await (const w of windows(c0 === 0 ? undefined : [c0, width]))
        smoothedEnvelopeWindow(w, 0, width, envelope).forEach((t, k) => traces[k].set(t, w.start));
      channels ??= karlssonChannels(time, valid, validBlocks(valid, time), s, options);
      for (const t of traces) channels.add(t);
    }
    events = channels?.events() ?? [];
  }
  const blocks = validBlocks(valid, time);
  for (const e of events) {
    const at = peakContext(time, blocks, e.peakIndex);
    e.peakFrequency = at ? frequencyAt(await band(at.from, at.to), time, at) : NaN;
  }
  return events;
}
