// The page `spyglass report` writes: one HTML file with this script, the app's styles and the
// result's data (resultView, as typed JSON) inlined, so it opens from disk with no server and no
// network. It draws the result with the viewer's own panel (views/result.ts).
import { fromTypedJson } from '@spyglass-wasm/core';
import type { ResultView } from '@spyglass-wasm/pipelines';
import { h, mount } from '../dom.js';
import { resultPanel } from '../views/result.js';
import '../style.css';

/** Id of the script element holding the data (type application/json). */
export const REPORT_DATA_ID = 'spyglass-report-data';

interface ReportData {
  view: ResultView;
  /** Who wrote the report, and when (shown in the footer). */
  generator: string;
  createdAt: string;
}

function render() {
  const node = document.getElementById(REPORT_DATA_ID);
  const root = h('div', { class: 'report' });
  document.body.append(root);
  if (!node?.textContent)
    return void mount(root, h('p', { class: 'warn' }, 'This report holds no data (its data element is missing).'));
  const data = fromTypedJson<ReportData>(node.textContent);
  const panel = resultPanel(data.view);
  mount(
    root,
    h('header', { class: 'topbar' }, h('div', { class: 'brand' }, 'Spyglass-Wasm ', h('span', {}, 'report'))),
    h(
      'div',
      { class: 'report-body' },
      panel.el,
      h(
        'p',
        { class: 'hint report-footer' },
        `Written by ${data.generator} on ${data.createdAt}. Everything on this page is in this one file.`,
      ),
    ),
  );
  panel.draw();
  document.body.dataset.rendered = 'true';
}

render();
