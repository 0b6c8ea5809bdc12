// An exported RO-Crate opened for reading: its results listed in the sidebar, each drawn with the
// same result panel (plots and lineage) as a result computed in this browser. The crate is read
// in the run worker (provenance's openCrate); nothing goes into the browser store.
import { h, mount } from '../dom.js';
import type { CrateSummary, RunSource } from '../worker/run-api.js';
import { resultPanel } from './result.js';
import { runApi } from './run.js';

const short = (key: string) => key.replace(/^blake3:/, '').slice(0, 12);

/**
 * Opens `source` (a zip File, a zip URL or a crate folder URL) and shows its root result; the
 * sidebar lists every result of the crate, upstream first. Errors go to `fail` as one line.
 */
export async function openCrateView(
  source: RunSource,
  where: { sidebar: HTMLElement; content: HTMLElement; fail: (err: unknown) => void },
): Promise<CrateSummary> {
  const crate = await runApi().openCrate(source);
  const name = 'file' in source ? source.name : source.url;
  const show = async (key: string) => {
    mount(where.content, h('p', { class: 'muted' }, `reading ${short(key)}…`));
    try {
      const v = await runApi().crateView(key);
      const { el, draw } = resultPanel(v);
      mount(
        where.content,
        h(
          'div',
          { class: 'crate-view', dataset: { key } },
          h(
            'p',
            { class: `hint crate-check${v.changed.length ? ' warning' : ''}` },
            v.changed.length
              ? `The bytes of ${v.changed.join(', ')} differ from the crate's checksums: not what was exported.`
              : "RO-Crate: every file read matches the crate's BLAKE3 checksum. `spyglass verify` recomputes it.",
          ),
          el,
        ),
      );
      draw();
      for (const b of where.sidebar.querySelectorAll<HTMLElement>('.crate-result'))
        b.classList.toggle('active', b.dataset.key === key);
    } catch (err) {
      where.fail(err);
    }
  };
  mount(
    where.sidebar,
    h('div', { class: 'file-name', title: name }, name.split('/').filter(Boolean).pop()),
    h(
      'div',
      { class: 'side-section' },
      h('h4', {}, `RO-Crate: ${crate.results.length} results`),
      crate.results.map((r) =>
        h(
          'button',
          { class: 'crate-result', dataset: { key: r.key, step: r.step }, onclick: () => void show(r.key) },
          `${r.step} ${short(r.key)}`,
          h('span', { class: 'muted' }, ` ${r.paramSetName ?? 'custom'}`),
        ),
      ),
    ),
  );
  await show(crate.root);
  return crate;
}
