// The app shell: open a file (picker, drag-and-drop, or ?url=), the tree, tabs for the views.
// All NWB reading and filtering happens in one Web Worker behind comlink.
import * as Comlink from 'comlink';
import type { ViewContext, ViewName } from './context.js';
import { fmtBytes, h, mount } from './dom.js';
import { isCrateUrl } from './lib/crate-url.js';
import { NO_TRACE_QUERY } from './lib/trace-params.js';
import { buildTree, type TreeNode } from './lib/tree.js';
import { PALETTE, type Shading } from './plots/plot.js';
import { getParam, setParams } from './url-state.js';
import { objectView } from './views/object.js';
import { overviewView } from './views/overview.js';
import { positionView } from './views/position.js';
import { curateView } from './views/curate.js';
import { openCrateView } from './views/crate.js';
import { resetRuns, runShading, runView } from './views/run.js';
import { tracesView } from './views/traces.js';
import { treeView } from './views/tree.js';
import { unitsView } from './views/units.js';
import type { NwbApi } from './worker/nwb-api.js';
import './style.css';

const worker = new Worker(new URL('./worker/nwb-worker.ts', import.meta.url), { type: 'module' });
const api = Comlink.wrap<NwbApi>(worker);

const fileInput = h('input', { type: 'file', accept: '.nwb,.h5,.hdf5,.zip', id: 'file-input', class: 'hidden' });
const urlInput = h('input', {
  type: 'url',
  id: 'url-input',
  placeholder: 'https://… .nwb (read lazily with Range requests)',
  size: 48,
});
const status = h('div', { id: 'status', class: 'status', dataset: { state: 'idle' } });
const sidebar = h('aside', { class: 'sidebar' });
const tabs = h('nav', { class: 'tabs' });
const content = h('main', { class: 'content' });

document.body.append(
  h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, 'Spyglass-Wasm ', h('span', {}, 'NWB viewer')),
    h('button', { class: 'primary', onclick: () => fileInput.click() }, 'Open file…'),
    fileInput,
    h(
      'form',
      {
        class: 'url-form',
        onsubmit: (e: Event) => (e.preventDefault(), urlInput.value && void openSource(urlInput.value.trim())),
      },
      urlInput,
      h('button', { type: 'submit' }, 'Open URL'),
    ),
    status,
  ),
  h('div', { class: 'layout' }, sidebar, h('div', { class: 'main-col' }, tabs, content)),
  h('div', { class: 'drop-overlay' }, 'Drop an NWB file or an RO-Crate zip to open it'),
);

let ctx: ViewContext | undefined;
/** The open file as the user gave it (the Run tab needs the File, or the URL to fetch). */
let openedSource: File | string | undefined;
let transferTimer: ReturnType<typeof setInterval> | undefined;
const shaded = new Set<string>();

function setStatus(state: 'idle' | 'loading' | 'ready' | 'error', text: string) {
  status.dataset.state = state;
  status.textContent = text;
  status.title = text;
}

function landing() {
  mount(sidebar, h('p', { class: 'muted' }, 'No file open.'));
  mount(tabs);
  mount(
    content,
    h(
      'div',
      { class: 'landing' },
      h('h1', {}, 'Look at an NWB file, in this tab'),
      h(
        'p',
        {},
        'Open a file from disk (button above, or drop it anywhere on the page) or paste the http(s) address of one; an RO-Crate exported by `spyglass export` or the Curate tab (a zip, or ?crate=<folder URL>) shows its results and lineage. Nothing is uploaded: the file is read in a Web Worker in this browser — a local file piece by piece, a remote file by HTTP Range requests for just the bytes each view needs.',
      ),
      h(
        'ul',
        {},
        h('li', {}, 'Overview: session, subject, the probe drawn from the electrodes table'),
        h('li', {}, 'Traces: any channels over any window, band-pass and common reference computed on the fly'),
        h('li', {}, 'Position and speed, units (ISI, correlograms, raster), every table'),
      ),
      h('p', { class: 'muted' }, 'Links keep what is open: a page opened with ?url=… opens that file.'),
    ),
  );
}

/**
 * An RO-Crate: a zip, or a URL of a zip, of its ro-crate-metadata.json or of a crate folder (?crate=,
 * or ?url= of a folder that serves a ro-crate-metadata.json).
 */
async function isCrate(source: File | string, asCrate: boolean): Promise<boolean> {
  if (typeof source !== 'string') return /\.zip$/i.test(source.name);
  return asCrate || isCrateUrl({ url: new URL(source, location.href).href });
}

async function openCrateSource(source: File | string) {
  const isUrl = typeof source === 'string';
  const name = isUrl ? source : source.name;
  setStatus('loading', `opening the RO-Crate ${name}…`);
  clearInterval(transferTimer);
  try {
    const crate = await openCrateView(
      isUrl ? { url: new URL(source, location.href).href } : { file: source, name: source.name },
      { sidebar, content, fail },
    );
    ctx = undefined;
    openedSource = undefined;
    mount(tabs);
    setParams({ url: undefined, crate: isUrl ? source : undefined, view: undefined, path: undefined });
    document.body.dataset.loaded = 'true';
    document.body.dataset.view = 'crate';
    setStatus('ready', `${name.split('/').filter(Boolean).pop()} · RO-Crate of ${crate.results.length} results`);
  } catch (err) {
    fail(err);
  }
}

async function openSource(source: File | string, asCrate = false) {
  if (await isCrate(source, asCrate)) return openCrateSource(source);
  const isUrl = typeof source === 'string';
  const name = isUrl ? source : source.name;
  setStatus('loading', `opening ${name}…`);
  clearInterval(transferTimer);
  try {
    const href = isUrl ? new URL(source, location.href).href : undefined;
    const summary = await api.open(href ?? (source as File));
    const [entries, intervals] = await Promise.all([api.tree(), api.intervals()]);
    const tree = buildTree(entries);
    if (isUrl) setParams({ url: source, crate: undefined });
    else setParams({ url: undefined, crate: undefined, view: undefined, path: undefined, ...NO_TRACE_QUERY });
    if (isUrl) urlInput.value = source;
    shaded.clear();
    openedSource = source;
    resetRuns(source);
    intervals.forEach((t) => shaded.add(t.path));
    ctx = {
      api,
      summary,
      tree,
      intervals,
      shading: () => [
        ...intervals
          .filter((t) => shaded.has(t.path))
          .map((t, i): Shading => ({
            name: t.name,
            color: PALETTE[(i + 6) % PALETTE.length],
            start: t.start,
            stop: t.stop,
          })),
        ...runShading(),
      ],
      show,
      fail,
    };
    renderSidebar(ctx, name);
    document.body.dataset.loaded = 'true';
    const ready = () => setStatus('ready', `${name.split('/').pop()} · ${summary.metadata.identifier}`);
    ready();
    if (isUrl) {
      const tick = async () => {
        const t = await api.transfer();
        if (t)
          setStatus(
            'ready',
            `${name.split('/').pop()} · fetched ${fmtBytes(t.bytes)} of ${fmtBytes(t.size)} in ${t.requests} range requests`,
          );
      };
      void tick();
      transferTimer = setInterval(tick, 1000);
    }
    const view = getParam('view') as ViewName | undefined;
    show(isUrl && view ? view : 'overview', isUrl ? getParam('path') : undefined);
  } catch (err) {
    fail(err);
  }
}

function fail(err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(err);
  setStatus('error', message);
}

function renderSidebar(c: ViewContext, name: string) {
  const toggles = c.intervals.map((t, i) =>
    h(
      'label',
      { class: 'check interval-toggle' },
      h('input', {
        type: 'checkbox',
        checked: shaded.has(t.path),
        onchange: (e: Event) => {
          if ((e.target as HTMLInputElement).checked) shaded.add(t.path);
          else shaded.delete(t.path);
          show(current.view, current.path);
        },
      }),
      h('span', { class: 'swatch', style: `background:${PALETTE[(i + 6) % PALETTE.length]}` }),
      ` ${t.name} (${t.start.length})`,
    ),
  );
  mount(
    sidebar,
    h('div', { class: 'file-name', title: name }, name.split('/').pop()),
    toggles.length ? h('div', { class: 'side-section' }, h('h4', {}, 'Shade intervals'), toggles) : null,
    h('div', { class: 'side-section' }, h('h4', {}, 'Contents'), treeView(c.tree, pick)),
  );
}

function pick(n: TreeNode) {
  if (n.view === 'traces') show('traces', n.path);
  else if (n.view === 'position') show('position', n.path);
  else if (n.view === 'units' && n.path === '/units') show('units');
  else if (n.view !== 'info' || n.kind === 'dataset' || n.neurodataType) show('object', n.path);
}

let current: { view: ViewName; path?: string } = { view: 'overview' };

function show(view: ViewName, path?: string) {
  if (!ctx) return;
  current = { view, path };
  const available: [ViewName, string, boolean][] = [
    ['overview', 'Overview', true],
    ['traces', 'Traces', ctx.summary.series.length > 0],
    ['position', 'Position', ctx.summary.spatial.length > 0],
    ['units', 'Units', ctx.summary.hasUnits],
    ['object', 'Object', view === 'object'],
    ['run', 'Run', ctx.summary.series.length > 0 || (ctx.summary.hasUnits && ctx.summary.spatial.length > 0)],
    ['curate', 'Curate', ctx.summary.series.length > 0],
  ];
  mount(
    tabs,
    available
      .filter(([, , on]) => on)
      .map(([v, label]) =>
        h(
          'button',
          { class: `tab${v === view ? ' active' : ''}`, dataset: { view: v }, onclick: () => show(v) },
          label,
        ),
      ),
  );
  if (view === 'overview') setParams({ view: undefined, path: undefined, ...NO_TRACE_QUERY });
  const el =
    view === 'traces'
      ? tracesView(ctx, path)
      : view === 'position'
        ? positionView(ctx, path)
        : view === 'units'
          ? unitsView(ctx)
          : view === 'object'
            ? objectView(ctx, path)
            : view === 'run'
              ? runView(ctx, openedSource!)
              : view === 'curate'
                ? curateView(ctx, openedSource!)
                : overviewView(ctx);
  document.body.dataset.view = view;
  mount(content, el);
}

fileInput.addEventListener('change', () => {
  const f = fileInput.files?.[0];
  fileInput.value = ''; // so picking the same file again (after an error, or another file) opens it
  if (f) void openSource(f);
});
let dragDepth = 0;
window.addEventListener('dragenter', (e) => (e.preventDefault(), dragDepth++, document.body.classList.add('dragging')));
window.addEventListener(
  'dragleave',
  () => --dragDepth <= 0 && ((dragDepth = 0), document.body.classList.remove('dragging')),
);
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  document.body.classList.remove('dragging');
  const f = e.dataTransfer?.files?.[0];
  if (f) void openSource(f);
});

landing();
const initialCrate = getParam('crate');
const initial = initialCrate ?? getParam('url');
if (initial) void openSource(initial, initialCrate !== undefined);
