// A few lines instead of a framework: build elements from a tag, properties and children.

type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown> & { class?: string; style?: string; dataset?: Record<string, string> };

/**
 * Creates an element: `on*` properties become listeners, `dataset` fills data-*, others are set
 * as attributes (or properties when the element has one, e.g. `value`, `checked`).
 *
 * @example
 * h('button', { class: 'primary', onclick: () => run() }, 'Run');
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k in el && k !== 'style' && k !== 'class' && k !== 'list')
      (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k === 'class' ? 'class' : k, v === true ? '' : String(v));
  }
  for (const c of children.flat())
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** Replaces an element's children. */
export function mount(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren(
    ...children
      .flat()
      .filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false)
      .map((c) => (c instanceof Node ? c : String(c))),
  );
}

/** Numbers for tables and labels: integers as they are, others to 4 significant digits. */
export function fmt(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
  }
  return v === undefined || v === null ? '' : String(v);
}

/** Seconds as "12.345 s" or "2 min 03.5 s". */
export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (Math.abs(s) < 60) return `${Number(s.toFixed(3))} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${(s - 60 * m).toFixed(1).padStart(4, '0')} s`;
}

/** Bytes as "1.2 MB". */
export function fmtBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) ((n /= 1000), i++);
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}
