// Manual curation in the curate step: labels, merges (spike trains merged and sorted) and splits
// by amplitude, all from parameters in sort-unit indices; metric-only curation is unchanged.
import { describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import type { ResultData } from '@spyglass-wasm/provenance';
import { curateData, curateStep } from '../src/steps/curate.js';

const metrics = (snr: number) => ({
  firingRate: 5,
  isiViolation: 0,
  presenceRatio: 1,
  snr,
  amplitudeCutoff: 0,
  nnIsolation: 1,
  nnNoiseOverlap: 0,
});

/** A small sort result: four units (unit 3 fails the SNR rule), with per-spike amplitudes. */
function sortResult(withAmplitudes = true): ResultData {
  const times = [
    [0.1, 0.5, 0.9],
    [0.2, 0.6],
    [0.3, 0.4, 0.7, 0.8],
    [1.0, 1.1],
  ];
  const amps = [
    [-50, -52, -51],
    [-60, -61],
    [-40, -120, -45, -118],
    [-30, -31],
  ];
  const ends = Float64Array.from(times.map((_, i) => times.slice(0, i + 1).flat().length));
  return {
    arrays: {
      spikeTimes: { data: Float64Array.from(times.flat()), shape: [10] },
      spikeTimesIndex: { data: ends, shape: [4] },
      ...(withAmplitudes ? { spikeAmplitudes: { data: Float32Array.from(amps.flat()), shape: [10] } } : {}),
      waveformMean: { data: Float32Array.from({ length: 8 }, (_, i) => i), shape: [4, 2] },
    },
    json: {
      electrodeGroups: [],
      units: [metrics(8), metrics(9), metrics(7), metrics(0.5)].map((m) => ({ group: 'tetrode1', metrics: m })),
    },
  } as unknown as ResultData;
}

const trains = (o: ReturnType<typeof curateData>) => {
  const t = Array.from(o.arrays.spikeTimes.data as Float64Array);
  const ends = Array.from(o.arrays.spikeTimesIndex.data as ArrayLike<number>);
  return ends.map((e, i) => t.slice(i ? ends[i - 1] : 0, e));
};

describe('curate step: manual curation', () => {
  it('keeps the metric-only output as before (labels by the rules, no manual fields)', () => {
    const o = curateData(sortResult(), { keep: ['accept', 'mua'] });
    expect(o.json.labels).toEqual(['accept', 'accept', 'accept', 'noise']);
    expect(o.json.manual).toBeUndefined();
    expect((o.json.units as { sortedUnit: number }[]).map((u) => u.sortedUnit)).toEqual([0, 1, 2]);
    expect(o.summary).toEqual({ units: 3, noise: 1, mua: 0 });
  });

  it('relabels units by index; noise units are dropped', () => {
    const o = curateData(sortResult(), { keep: ['accept', 'mua'], labels: { 0: 'noise', 1: 'mua', 3: 'accept' } });
    expect(o.json.labels).toEqual(['noise', 'mua', 'accept', 'accept']);
    expect((o.json.units as { sortedUnit: number; label: string }[]).map((u) => [u.sortedUnit, u.label])).toEqual([
      [1, 'mua'],
      [2, 'accept'],
      [3, 'accept'],
    ]);
    expect(trains(o)).toEqual([
      [0.2, 0.6],
      [0.3, 0.4, 0.7, 0.8],
      [1.0, 1.1],
    ]);
  });

  it('merges units: spike trains combined and sorted, the lowest unit label and waveform kept, metrics not carried over', () => {
    const o = curateData(sortResult(), { keep: ['accept', 'mua'], merge: [[2, 0]] });
    const units = o.json.units as { sortedUnit: number; sortedUnits: number[]; metrics: Record<string, number> }[];
    expect(units.map((u) => u.sortedUnits)).toEqual([[0, 2], [1]]);
    expect(trains(o)).toEqual([
      [0.1, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9],
      [0.2, 0.6],
    ]);
    expect(Number.isNaN(units[0].metrics.snr)).toBe(true);
    expect(units[1].metrics.snr).toBe(9);
    expect(Array.from(o.arrays.waveformMean!.data as Float32Array)).toEqual([0, 1, 2, 3]);
    expect(o.summary).toMatchObject({ units: 2, merged: 1 });
  });

  it('splits a unit by amplitude magnitude into below and above, appended after the sort units', () => {
    const o = curateData(sortResult(), {
      keep: ['accept'],
      split: [{ unit: 2, amplitudeThreshold: 100 }],
      merge: [[0, 1]],
    });
    const units = o.json.units as { sortedUnits: number[]; split?: string }[];
    expect(units.map((u) => [u.sortedUnits, u.split])).toEqual([
      [[0, 1], undefined],
      [[2], 'below'],
      [[2], 'above'],
    ]);
    expect(trains(o)).toEqual([
      [0.1, 0.2, 0.5, 0.6, 0.9],
      [0.3, 0.7],
      [0.4, 0.8],
    ]);
  });

  it('is reproducible from its parameters: the same parameters give the same output', () => {
    const p = {
      keep: ['accept'],
      labels: { 1: 'noise' },
      merge: [[0, 3]],
      split: [{ unit: 2, amplitudeThreshold: 100 }],
    };
    expect(curateData(sortResult(), p)).toEqual(curateData(sortResult(), structuredClone(p)));
  });

  it('refuses bad manual parameters with a ParameterError naming the option', () => {
    const bad = (p: Record<string, unknown>, where: RegExp) =>
      expect(() => curateData(sortResult(), { keep: ['accept'], ...p })).toThrow(where);
    bad({ labels: { 9: 'noise' } }, /labels.*0-3/);
    bad({ labels: { 0: 'good' } }, /labels\.0/);
    bad({ merge: [[1]] }, /merge\[0\]/);
    bad(
      {
        merge: [
          [0, 1],
          [1, 2],
        ],
      },
      /merge\[1\].*at most one/,
    );
    bad({ split: [{ unit: 0, amplitudeThreshold: 1000 }] }, /split unit 0.*both sides/);
    bad({ split: [{ unit: 0, amplitudeThreshold: -1 }] }, /split\[0\]/);
    bad({ split: [{ unit: 2, amplitudeThreshold: 100 }], merge: [[2, 1]] }, /merge\[0\].*at most one/);
    expect(() => curateData(sortResult(false), { split: [{ unit: 2, amplitudeThreshold: 100 }] })).toThrow(
      ParameterError,
    );
    expect(() => curateData(sortResult(false), { split: [{ unit: 2, amplitudeThreshold: 100 }] })).toThrow(
      /spikeAmplitudes/,
    );
  });

  it('accepts the manual parameters as step options and keeps the default set unchanged', () => {
    expect(curateStep.paramSets!.default).toEqual({ keep: ['accept', 'mua'] });
    expect(curateStep.optionalParams).toEqual(expect.arrayContaining(['labels', 'merge', 'split']));
  });
});
