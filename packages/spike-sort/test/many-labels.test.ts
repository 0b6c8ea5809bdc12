// Label counts come from a loop (core's maxOf), not Math.max(...labels), which throws RangeError past
// ~125 000 arguments: a learning sample that large (learnSpikes) must not crash the sort.
import { describe, expect, it } from 'vitest';
import { dropEchoes } from '../src/index.js';

describe('label steps on 300 000 detections', () => {
  it('dropEchoes runs and keeps two units whose spikes never coincide', () => {
    const n = 300_000;
    const times = Float64Array.from({ length: n }, (_, i) => i * 100);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    const strength = Float64Array.from(labels, (l) => (l ? 50 : 100));
    const out = dropEchoes(times, strength, labels, { window: 10, tolerance: 2 });
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 1, 0, 1]);
    expect(out.every((l, i) => l === labels[i])).toBe(true);
  });
});
