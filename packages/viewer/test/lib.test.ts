// Windowing, decimation, channel lists, speed, the tree and the electrode layout.
import { describe, expect, it } from 'vitest';
import { isCrateUrl } from '../src/lib/crate-url.js';
import { electrodeLayout } from '../src/lib/geometry.js';
import { readTraceParams, traceQuery } from '../src/lib/trace-params.js';
import { buildTree, findNodes, viewFor } from '../src/lib/tree.js';
import {
  formatChannelList,
  minMaxDecimate,
  padRows,
  parseChannelList,
  rowsForWindow,
  speedFromPosition,
} from '../src/lib/windowing.js';

describe('windowing', () => {
  const s = { rate: 30000, start: 0, rows: 900000 };

  it('maps a window of seconds to rows, clamped to the series', () => {
    expect(rowsForWindow(s, 1, 1.5)).toEqual([30000, 45000]);
    expect(rowsForWindow(s, -1, 0.001)).toEqual([0, 30]);
    expect(rowsForWindow(s, 29.9, 40)).toEqual([897000, 900000]);
    expect(rowsForWindow(s, 40, 50)).toEqual([900000, 900000]);
    expect(rowsForWindow({ rate: 1000, start: 10, rows: 5000 }, 11, 12)).toEqual([1000, 2000]);
  });

  it('pads rows for filtering within the series and says where the window starts inside', () => {
    expect(padRows([100, 200], 50, 1000)).toEqual({ rows: [50, 250], offset: 50 });
    expect(padRows([10, 200], 50, 220)).toEqual({ rows: [0, 220], offset: 10 });
  });

  it('min/max decimation keeps every peak, in time order, and passes short windows through', () => {
    const rows = 1000,
      cols = 2;
    const data = new Float32Array(rows * cols);
    data[2 * 537] = 9; // a spike on channel 0
    data[2 * 538 + 1] = -7; // a trough on channel 1
    const d = minMaxDecimate(data, rows, cols, { t0: 1, rate: 1000, buckets: 100 });
    expect(d.envelope).toBe(true);
    expect(d.x).toHaveLength(200);
    expect(Math.max(...d.ys[0])).toBe(9);
    expect(Math.min(...d.ys[1])).toBe(-7);
    expect(d.x[0]).toBe(1);
    for (let i = 1; i < d.x.length; i++) expect(d.x[i]).toBeGreaterThan(d.x[i - 1]);
    const full = minMaxDecimate(data, rows, cols, { t0: 0, rate: 1000, buckets: 600, channels: [1] });
    expect(full.envelope).toBe(false);
    expect(full.ys).toHaveLength(1);
    expect(full.ys[0][538]).toBe(-7);
    expect(full.x[538]).toBeCloseTo(0.538, 12);
  });

  it('parses and formats channel lists', () => {
    expect(parseChannelList('0-3, 8 10-11', 11)).toEqual([0, 1, 2, 3, 8, 10]);
    expect(parseChannelList('5-2', 8)).toEqual([2, 3, 4, 5]);
    expect(parseChannelList('a, 2', 8)).toBeUndefined();
    expect(formatChannelList([0, 1, 2, 3, 8, 10, 11])).toBe('0-3, 8, 10-11');
  });

  it('speed from positions: constant velocity gives that speed; smoothing averages', () => {
    const t = Float64Array.from({ length: 11 }, (_, i) => i * 0.1);
    const xy = new Float64Array(22);
    for (let i = 0; i < 11; i++) ((xy[2 * i] = 3 * t[i]), (xy[2 * i + 1] = 4 * t[i]));
    expect(Array.from(speedFromPosition(t, xy, 2)).every((v) => Math.abs(v - 5) < 1e-9)).toBe(true);
    const jump = Float64Array.from([0, 0, 0, 1, 1]);
    const tt = Float64Array.from([0, 1, 2, 3, 4]);
    expect(Array.from(speedFromPosition(tt, jump, 1))).toEqual([0, 0, 0.5, 0.5, 0]);
    expect(Array.from(speedFromPosition(tt, jump, 1, 3))).toEqual([0, 1 / 6, 1 / 3, 1 / 3, 0.25]);
  });
});

describe('tree', () => {
  it('nests entries by path, creates missing parents, tags each with its view, typed first', () => {
    const root = buildTree([
      { path: '/processing/ecephys/LFP/lfp', kind: 'group', neurodataType: 'ElectricalSeries' },
      { path: '/acquisition', kind: 'group' },
      { path: '/acquisition/raw', kind: 'group', neurodataType: 'ElectricalSeries' },
      { path: '/acquisition/notes', kind: 'dataset', shape: [3] },
      { path: '/units', kind: 'group', neurodataType: 'Units' },
      { path: '/intervals/epochs', kind: 'group', neurodataType: 'TimeIntervals' },
      { path: '/general/extracellular_ephys/electrodes', kind: 'group', neurodataType: 'DynamicTable' },
      { path: '/processing/behavior/Position/pos', kind: 'group', neurodataType: 'SpatialSeries' },
    ]);
    expect(root.children.map((c) => c.name)).toEqual(['units', 'acquisition', 'general', 'intervals', 'processing']);
    const acq = root.children[1];
    expect(acq.children.map((c) => [c.name, c.view])).toEqual([
      ['raw', 'traces'],
      ['notes', 'info'],
    ]);
    expect(findNodes(root, (n) => n.view === 'traces').map((n) => n.path)).toEqual([
      '/acquisition/raw',
      '/processing/ecephys/LFP/lfp',
    ]);
    expect(findNodes(root, (n) => n.path === '/processing/ecephys/LFP')[0]).toMatchObject({
      kind: 'group',
      view: 'info',
    });
    expect(findNodes(root, (n) => n.view === 'position')[0].path).toBe('/processing/behavior/Position/pos');
    expect(viewFor({ path: '/general/extracellular_ephys/electrodes', kind: 'group' })).toBe('table');
    expect(viewFor({ path: '/intervals/epochs', kind: 'group', neurodataType: 'TimeIntervals' })).toBe('intervals');
  });
});

describe('electrode layout', () => {
  const ids = [0, 1, 2, 3, 4, 5, 6, 7];
  const groups = ['t0', 't0', 't0', 't0', 't1', 't1', 't1', 't1'];

  it('uses rel_x/rel_y within each group and puts groups side by side', () => {
    const rel = { rel_x: { values: [0, 20, 0, 20, 0, 20, 0, 20] }, rel_y: { values: [0, 0, 20, 20, 0, 0, 20, 20] } };
    const l = electrodeLayout(ids, groups, rel);
    expect(l.source).toBe('rel_x/rel_y');
    expect(l.sites.map((s) => [s.x, s.y])).toEqual([
      [0, 0],
      [20, 0],
      [0, 20],
      [20, 20],
      [60, 0],
      [80, 0],
      [60, 20],
      [80, 20],
    ]);
    expect(l.groupOffsets).toEqual({ t0: 0, t1: 60 });
  });

  it('falls back to x/y, then to a grid per group when no coordinates vary', () => {
    const xy = electrodeLayout([0, 1], ['a', 'a'], { x: { values: [0, 0] }, y: { values: [0, 25] } });
    expect(xy.source).toBe('x/y');
    expect(xy.sites.map((s) => s.y)).toEqual([0, 25]);
    const grid = electrodeLayout(ids, groups, {
      x: { values: ids.map(() => 0) },
      rel_x: { values: ids.map(() => NaN) },
    });
    expect(grid.source).toBe('groups');
    expect(grid.sites.filter((s) => s.group === 't0').map((s) => [s.x, s.y])).toEqual([
      [0, 0],
      [20, 0],
      [0, 20],
      [20, 20],
    ]);
    expect(grid.sites.filter((s) => s.group === 't1')[0].x).toBe(80);
  });
});

describe('crate URLs', () => {
  const served: Record<string, unknown> = {
    'http://h/crates/sort-1/ro-crate-metadata.json': {
      '@context': 'https://w3id.org/ro/crate/1.1/context',
      '@graph': [],
    },
    'http://h/other/ro-crate-metadata.json': { hello: 1 },
  };
  const asked: string[] = [];
  const fetchFn = (async (url: string) => {
    asked.push(url);
    return url in served ? new Response(JSON.stringify(served[url])) : new Response('no', { status: 404 });
  }) as unknown as typeof fetch;
  const isCrate = (url: string) => isCrateUrl({ url, fetch: fetchFn });

  it('knows zips and metadata files by name, NWB files without asking, folders by their ro-crate-metadata.json', async () => {
    expect(await isCrate('http://h/a/sort-crate.zip')).toBe(true);
    expect(await isCrate('http://h/a/ro-crate-metadata.json')).toBe(true);
    expect(await isCrate('http://h/a/session.nwb')).toBe(false);
    expect(asked).toEqual([]);
    expect(await isCrate('http://h/crates/sort-1/')).toBe(true);
    expect(await isCrate('http://h/crates/sort-1')).toBe(true);
    // a DANDI-style asset URL (ends in a slash, no crate there) and a JSON that is no crate
    expect(await isCrate('http://h/api/assets/abc/download/')).toBe(false);
    expect(await isCrate('http://h/other')).toBe(false);
    expect(asked.at(-2)).toBe('http://h/api/assets/abc/download/ro-crate-metadata.json');
  });
});

describe('trace parameters in the page address', () => {
  it('reads channels, window, band-pass and common reference, leaving out what does not parse', () => {
    expect(readTraceParams('?ch=0-3,8&t=2.5&dur=0.5&bp=300-6000&car=1', 32)).toEqual({
      channels: [0, 1, 2, 3, 8],
      t0: 2.5,
      dur: 0.5,
      bandpass: [300, 6000],
      commonRef: true,
    });
    expect(readTraceParams('?bp=off&car=0', 8)).toEqual({ bandpass: null, commonRef: false });
    expect(readTraceParams('?ch=x&bp=6000-300&dur=-1&t=', 8)).toEqual({});
    expect(readTraceParams('?ch=40-50', 8)).toEqual({});
  });

  it('writes what readTraceParams reads back', () => {
    const shown = {
      channels: [0, 1, 2, 7],
      t0: 1.23456,
      dur: 0.5,
      bandpass: [1, 300] as [number, number],
      commonRef: false,
    };
    const q = traceQuery(shown);
    expect(q).toEqual({ ch: '0-2,7', t: '1.2346', dur: '0.5', bp: '1-300', car: '0' });
    expect(readTraceParams(`?${new URLSearchParams(q)}`, 8)).toEqual({ ...shown, t0: 1.2346 });
    expect(traceQuery({ ...shown, bandpass: null }).bp).toBe('off');
  });
});
