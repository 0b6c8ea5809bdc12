// The Run tab: LFP → ripples and spike sorting on the open file, in their own worker, each with a
// progress bar and a cancel button; results go to the browser store and are listed from it.
import * as Comlink from 'comlink';
import type { ViewContext } from '../context.js';
import { fmt, h, mount } from '../dom.js';
import type { Shading } from '../plots/plot.js';
import { resultPanel } from './result.js';
import type { RunApi, RunPipeline, RunReport, RunSource } from '../worker/run-api.js';

/** One run worker at a time; cancel terminates it and the next run starts a fresh one. */
let worker: Worker | undefined;
let api: Comlink.Remote<RunApi> | undefined;
/** The run worker (one for the Run and Curate tabs: they share the browser store). */
export function runApi(): Comlink.Remote<RunApi> {
  if (!api) {
    worker = new Worker(new URL('../worker/run-worker.ts', import.meta.url), { type: 'module' });
    api = Comlink.wrap<RunApi>(worker);
  }
  return api;
}
function killWorker() {
  worker?.terminate();
  worker = undefined;
  api = undefined;
}

/** The state kept across tab switches, per pipeline, for the open file. */
interface RunState {
  running: boolean;
  stage?: string;
  fraction: number;
  report?: RunReport;
  error?: string;
  cancelled?: boolean;
}
let fileKey: unknown;
const state: Record<RunPipeline, RunState> = {
  ripples: { running: false, fraction: 0 },
  sort: { running: false, fraction: 0 },
  decode: { running: false, fraction: 0 },
};
/** The result whose panel (plots and lineage) is open under the results list. */
let opened: string | undefined;
let redraw: (() => void) | undefined;
/** Updates the running cards' progress bars and stage text in place (no re-render). */
let paintProgress: (() => void) | undefined;
let progressFrame = 0;

/**
 * Progress arrives as often as a step reports it: it is painted at most once per frame, and only
 * the bar and its text change, so the page's main thread stays free during a run (the panel and
 * its result plots are rebuilt only when a run starts, ends or is cancelled).
 */
function progressChanged() {
  if (progressFrame) return;
  progressFrame = requestAnimationFrame(() => {
    progressFrame = 0;
    paintProgress?.();
  });
}

/** Ripples found by the last run, shaded over the trace and position plots. */
export function runShading(): Shading[] {
  const ev = state.ripples.report?.events;
  return ev?.length
    ? [
        {
          name: 'ripples (run)',
          color: '#d62728',
          start: Float64Array.from(ev, (e) => e.start),
          stop: Float64Array.from(ev, (e) => e.end),
        },
      ]
    : [];
}

/** Forget the previous file's runs (and stop one in flight) when another file is opened. */
export function resetRuns(source: unknown) {
  if (fileKey === source) return;
  fileKey = source;
  if (Object.values(state).some((s) => s.running)) killWorker();
  for (const p of Object.keys(state) as RunPipeline[]) state[p] = { running: false, fraction: 0 };
  opened = undefined;
}

async function start(pipeline: RunPipeline, source: RunSource, withPosition: boolean) {
  const s = (state[pipeline] = { running: true, fraction: 0, stage: 'starting' });
  redraw?.();
  const onProgress = Comlink.proxy((stage: string, fraction: number) => {
    Object.assign(s, { stage, fraction });
    progressChanged();
  });
  try {
    const report = await runApi().run(pipeline, source, { withPosition }, onProgress);
    state[pipeline] = { running: false, fraction: 1, report };
    if (pipeline === 'decode') opened = report.key;
  } catch (err) {
    if (state[pipeline] === s && !(s as RunState).cancelled)
      state[pipeline] = { running: false, fraction: 0, error: err instanceof Error ? err.message : String(err) };
  }
  redraw?.();
}

function cancel(pipeline: RunPipeline) {
  killWorker(); // the other pipeline's run, if any, dies with it
  for (const p of Object.keys(state) as RunPipeline[])
    if (state[p].running) state[p] = { running: false, fraction: 0, cancelled: true };
  void pipeline;
  redraw?.();
}

const stageText = (s: RunState) => `${s.stage} ${Math.round(s.fraction * 100)} %`;

function reportView(r: RunReport) {
  const summary =
    r.pipeline === 'ripples'
      ? `${r.summary.events} ripples${r.events?.length ? ` (first at ${fmt(r.events[0].start)} s)` : ''}, shaded on the trace view`
      : r.pipeline === 'decode'
        ? `${r.summary.units} units decoded over ${r.summary.timeBins} time bins; median error while running ${fmt(r.summary.medianErrorRunningCm)} cm`
        : `${r.summary.units} units: ${[...countBy(r.units ?? [], (u) => u.label)].map(([l, n]) => `${n} ${l}`).join(', ')}`;
  return h(
    'div',
    { class: 'run-report', dataset: { key: r.key, cached: String(r.cached) } },
    h('div', {}, h('b', {}, r.cached ? 'cached' : 'computed'), ' · ', summary),
    h('div', { class: 'run-key' }, 'key ', h('code', { class: 'result-key' }, r.key)),
    h(
      'ul',
      { class: 'run-steps' },
      r.steps.map((s) =>
        h(
          'li',
          {},
          `${s.step}: ${s.cached ? 'cached' : `computed in ${(s.computeMs / 1000).toFixed(1)} s`} · `,
          h('code', {}, s.key.slice(0, 18) + '…'),
        ),
      ),
    ),
    r.units
      ? h(
          'div',
          { class: 'unit-labels' },
          r.units.map((u, i) => h('span', { class: `unit-label ${u.label}` }, `${i}:${u.group}:${u.label}`)),
        )
      : null,
  );
}

function countBy<T>(xs: T[], f: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(f(x), (m.get(f(x)) ?? 0) + 1);
  return m;
}

/**
 * The panel. `source` is the open file: a File is run on as it is; a URL is fetched whole (only
 * when a run is asked for), since steps read every sample.
 */
export function runView(ctx: ViewContext, source: File | string): HTMLElement {
  const el = h('div', { class: 'run-view' });
  const withPosition = ctx.summary.spatial.length > 0;
  const canDecode = withPosition && ctx.summary.hasUnits;
  const hasRaw = ctx.summary.series.length > 0;
  const runSource: RunSource =
    typeof source === 'string' ? { url: new URL(source, location.href).href } : { file: source, name: source.name };
  const results = h('div', { class: 'run-results' }, h('p', { class: 'muted' }, 'Reading the store…'));
  const detail = h('div', { class: 'result-detail' });
  const openResult = async (key: string) => {
    opened = key;
    mount(detail, h('p', { class: 'muted' }, 'Reading the result…'));
    try {
      const panel = resultPanel(await runApi().view(key, runSource));
      if (opened !== key) return;
      mount(detail, panel.el);
      panel.draw();
    } catch (err) {
      mount(detail, h('p', { class: 'warn' }, `result ${key}: ${err instanceof Error ? err.message : String(err)}`));
    }
  };
  const listResults = async () => {
    try {
      const rows = await runApi().results();
      mount(
        results,
        rows.length
          ? h(
              'table',
              { class: 'data-table results-table' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['step', 'key', 'parameters', 'created', 'summary'].map((c) => h('th', {}, c)),
                ),
              ),
              h(
                'tbody',
                {},
                rows.map((r) =>
                  h(
                    'tr',
                    {
                      class: `result-row${r.key === opened ? ' active' : ''}`,
                      title: 'Show its plots and lineage',
                      dataset: { key: r.key },
                      onclick: () => void openResult(r.key),
                    },
                    h('td', {}, r.step),
                    h('td', {}, h('code', {}, r.key.slice(0, 20) + '…')),
                    h('td', {}, r.paramSetName ?? ''),
                    h('td', {}, new Date(r.createdAt).toLocaleString()),
                    h(
                      'td',
                      {},
                      Object.entries(r.summary)
                        .filter(([k]) => k !== 'analysisFile' && k !== 'session')
                        .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : fmt(v)}`)
                        .join(', '),
                    ),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'No results in this browser yet.'),
      );
    } catch (err) {
      mount(results, h('p', { class: 'warn' }, `store: ${err instanceof Error ? err.message : String(err)}`));
    }
  };
  const card = (pipeline: RunPipeline, title: string, what: string) => {
    const s = state[pipeline];
    return h(
      'section',
      {
        class: 'run-card',
        dataset: {
          pipeline,
          state: s.running ? 'running' : s.report ? 'done' : s.error ? 'error' : s.cancelled ? 'cancelled' : 'idle',
        },
      },
      h('h3', {}, title),
      h('p', { class: 'hint' }, what),
      h(
        'div',
        { class: 'run-controls' },
        h(
          'button',
          {
            class: 'primary run-button',
            disabled: s.running,
            onclick: () => void start(pipeline, runSource, withPosition),
          },
          s.report ? 'Run again' : 'Run',
        ),
        h('button', { class: 'cancel-button', disabled: !s.running, onclick: () => cancel(pipeline) }, 'Cancel'),
        h('progress', { max: 1, value: s.fraction }),
        h(
          'span',
          { class: 'muted run-stage' },
          s.running ? stageText(s) : s.cancelled ? 'cancelled: nothing was stored' : '',
        ),
      ),
      s.error ? h('p', { class: 'warn run-error' }, s.error) : null,
      s.report ? reportView(s.report) : null,
    );
  };
  paintProgress = () => {
    for (const p of Object.keys(state) as RunPipeline[]) {
      const s = state[p];
      const card = el.querySelector(`.run-card[data-pipeline="${p}"]`);
      if (!s.running || !card) continue;
      card.querySelector('progress')!.value = s.fraction;
      card.querySelector('.run-stage')!.textContent = stageText(s);
    }
  };
  redraw = () => {
    if (!el.isConnected) return;
    mount(
      el,
      h('h2', {}, 'Run pipelines on this file'),
      h(
        'p',
        { class: 'hint' },
        'Steps run in a Web Worker with their default parameters and are recorded in this browser (IndexedDB, result files in its private file system); a result key is the one the spyglass CLI computes on the same file and parameters, so a rerun — after a reload too — is served from the store. ',
        typeof source === 'string'
          ? h('b', {}, 'This file was opened from a URL: running a step first downloads the whole file into this tab.')
          : 'The file is read from disk, piece by piece.',
      ),
      hasRaw &&
        card(
          'ripples',
          'LFP → ripples',
          `LFP (1 kHz) of the raw series, then ripples (Kay, 150–250 Hz)${withPosition ? ', gated by the speed from the position step' : ' without a speed gate (the file has no position)'}.`,
        ),
      hasRaw &&
        card(
          'sort',
          'Spike sorting',
          'Detection, clustering and metric curation per electrode group; units labelled accept, mua or noise.',
        ),
      canDecode
        ? card(
            'decode',
            'Decoding',
            "Position (TrodesPosV1), then the file's Units decoded (sorted spikes, continuous state-space model): place fields on the first 80 % of the session, the rest decoded.",
          )
        : null,
      h('h3', {}, 'Results in this browser'),
      h('p', { class: 'hint' }, 'Click a result for its plots and lineage.'),
      results,
      detail,
    );
    if (!Object.values(state).some((s) => s.running)) void listResults();
    if (opened) void openResult(opened);
  };
  queueMicrotask(redraw);
  return el;
}
