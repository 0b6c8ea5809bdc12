// Ripples when the tracking is lost for seconds (#13): the speed there is unknown, so the gate may
// neither pass nor reject a ripple on a speed interpolated across the outage. The policy, shared
// with mua-events (speed-gate.ts): inside tracking gaps over 1 s the gate reads NaN speed, the
// detector takes those samples as missing, and no ripple is reported in the gap or spans into it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResult, openStore, runStep, type Store } from '@spyglass-wasm/provenance';
import { simulateRestRunSession, writeSessionNwb, type RestRunSession } from '@spyglass-wasm/sim';
import { lfpStep, positionStep, ripplesStep } from '../src/index.js';
import { dropFrames } from './tracking-outage.js';

interface Span {
  start: number;
  end: number;
}
const overlaps = (a: Span, b: Span) => a.start <= b.end && b.start <= a.end;

let dir: string, store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spyglass-ripple-gap-'));
  store = await openStore({ store: join(dir, '.spyglass'), durable: false });
});
afterAll(() => store?.close());

/**
 * A rest/run session with noisy tracking (0.5 cm jitter, 5 % dropped frames, LED swaps) and a 5 s
 * outage in the middle of its longest rest, where true ripples occur: the frames there are NaN
 * (`lost: 'nan'`, a tracker that kept writing frames) or absent (`lost: 'missing'`).
 */
function sessionWithOutage(lost: 'nan' | 'missing'): { s: RestRunSession; gap: Span } {
  const s = simulateRestRunSession({
    seed: 11,
    seconds: 90,
    nTetrodes: 2,
    unitsPerTetrode: 2,
    ripples: { rateHz: 1, duringRunHz: 1 },
    tracking: { noiseCm: 0.5, noiseTimeConstantS: 0, dropRate: 0.05, swapsPerMinute: 4 },
  });
  const rest = s.truth.periods
    .filter((p) => p.kind === 'rest')
    .reduce((a, b) => (b.stop - b.start > a.stop - a.start ? b : a));
  const mid = (rest.start + rest.stop) / 2;
  const gap = { start: mid - 2.5, end: mid + 2.5 };
  const { times, front, back } = s.position;
  const inGap = (i: number) => times[i] >= gap.start && times[i] < gap.end;
  if (lost === 'nan') {
    for (let i = 0; i < times.length; i++)
      if (inGap(i)) (front.data.fill(NaN, 2 * i, 2 * i + 2), back.data.fill(NaN, 2 * i, 2 * i + 2));
  } else {
    s.position = dropFrames(s.position, gap.start, gap.end);
  }
  return { s, gap };
}

async function ripples(lost: 'nan' | 'missing') {
  const { s, gap } = sessionWithOutage(lost);
  const file = join(dir, `outage-${lost}.nwb`);
  await writeSessionNwb(s, file);
  const lfp = await runStep(store, lfpStep, { raw: { file } });
  const position = await runStep(store, positionStep, { session: { file } });
  const detect = async (inputs: Record<string, { result: string }>) => {
    const r = await runStep(store, ripplesStep, { lfp: { result: lfp.key }, ...inputs });
    return (await loadResult(store, r.result)).json.events as (Span & { speedAtPeak: number })[];
  };
  const positionJson = (await loadResult(store, position.result)).json;
  return {
    s,
    gap,
    outages: positionJson.outages as [number, number][],
    gated: await detect({ position: { result: position.key } }),
    ungated: await detect({}),
  };
}

describe('ripples across a 5 s tracking outage during rest', () => {
  for (const lost of ['nan', 'missing'] as const) {
    it(`frames ${lost === 'nan' ? 'NaN' : 'missing'}: no ripple in the outage, recall and precision >= 0.9 around it`, async () => {
      const { s, gap, outages, gated, ungated } = await ripples(lost);
      const truthInGap = s.truth.ripples.filter((r) => r.start >= gap.start && r.end <= gap.end);
      expect(truthInGap.length).toBeGreaterThanOrEqual(2);
      // the ripples in the gap are there to find: without the gate they are detected
      expect(truthInGap.filter((t) => ungated.some((e) => overlaps(e, t))).length).toBe(truthInGap.length);
      // the position step records the NaN outage (the missing frames show in its times)
      if (lost === 'nan') {
        expect(outages).toHaveLength(1);
        expect(outages[0][0]).toBeLessThan(gap.start);
        expect(outages[0][1]).toBeGreaterThanOrEqual(gap.end);
      }
      // gated: nothing is reported in the gap, nor spans into it (before #13 the speed was
      // interpolated across the gap, ~0 at rest, and the gap's ripples were reported)
      expect(gated.filter((e) => overlaps(e, gap))).toEqual([]);
      for (const e of gated) expect(Number.isFinite(e.speedAtPeak), JSON.stringify(e)).toBe(true);
      // around the gap the gate works as on the session without it
      const known = s.truth.ripples.filter((r) => !overlaps(r, { start: gap.start - 0.1, end: gap.end + 0.1 }));
      const recall = known.filter((t) => gated.some((e) => overlaps(e, t))).length / known.length;
      const precision = gated.filter((e) => s.truth.ripples.some((t) => overlaps(e, t))).length / gated.length;
      expect(recall, `${gated.length} found, ${known.length} true outside the gap`).toBeGreaterThanOrEqual(0.9);
      expect(precision).toBeGreaterThanOrEqual(0.9);
    });
  }
});
