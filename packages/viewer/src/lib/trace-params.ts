// What the trace view shows, as the page address carries it, so a link reproduces the view:
// ?ch=0-3,8 (channels) &bp=300-6000 (band-pass, or bp=off) &car=1 (common median reference)
// &t=2.1&dur=0.5 (window, s). Absent parameters keep the view's defaults.
import { formatChannelList, parseChannelList } from './windowing.js';

/** The parts of the trace view a link can set. */
export interface TraceParams {
  channels?: number[];
  t0?: number;
  dur?: number;
  /** The band [low, high] Hz when filtering, null for no filter. */
  bandpass?: [number, number] | null;
  commonRef?: boolean;
}

/**
 * Reads the trace parameters of a query string; values that do not parse (a channel list outside
 * 0…channels-1, a band that is not low-high) are left out, so the view falls back to its default.
 *
 * @example
 * readTraceParams('?ch=0-3,8&bp=300-6000&car=1', 32);
 * // { channels: [0, 1, 2, 3, 8], bandpass: [300, 6000], commonRef: true }
 */
export function readTraceParams(search: string, channelCount: number): TraceParams {
  const q = new URLSearchParams(search);
  const out: TraceParams = {};
  const ch = q.get('ch');
  const channels = ch ? parseChannelList(ch, channelCount) : undefined;
  if (channels?.length) out.channels = channels;
  const number = (key: string) => (q.get(key) ? Number(q.get(key)) : Number.NaN);
  const t = number('t');
  if (Number.isFinite(t)) out.t0 = t;
  const dur = number('dur');
  if (dur > 0) out.dur = dur;
  const bp = q.get('bp');
  if (bp === 'off' || bp === '0') out.bandpass = null;
  else if (bp) {
    const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(bp);
    if (m && Number(m[1]) > 0 && Number(m[2]) > Number(m[1])) out.bandpass = [Number(m[1]), Number(m[2])];
  }
  const car = q.get('car');
  if (car !== null) out.commonRef = car === '1' || car === 'true';
  return out;
}

/** The query parameters that say what the trace view shows (the inverse of readTraceParams). */
export function traceQuery(p: Required<TraceParams>): Record<string, string> {
  return {
    ch: formatChannelList(p.channels).replace(/\s+/g, ''),
    t: String(Number(p.t0.toFixed(4))),
    dur: String(Number(p.dur.toPrecision(4))),
    bp: p.bandpass ? `${p.bandpass[0]}-${p.bandpass[1]}` : 'off',
    car: p.commonRef ? '1' : '0',
  };
}

/** Every trace parameter unset: what other views put in the address. */
export const NO_TRACE_QUERY = { t: undefined, dur: undefined, ch: undefined, bp: undefined, car: undefined };
