import { describe, expect, it } from 'vitest';
import { StagedProgress } from '../src/index.js';

describe('StagedProgress', () => {
  it('maps each stage onto its share by weight, only increasing, ending at exactly 1', () => {
    const seen: number[] = [];
    const progress = new StagedProgress((f) => seen.push(f), { a: 1, b: 3 });
    const a = progress.stage('a');
    a(0.5);
    a(0.25); // backwards: dropped
    const b = progress.stage('b');
    b(0.5);
    b(0.9);
    progress.done();
    progress.done(); // once only
    expect(seen).toEqual([0.125, 0.25, 0.625, 0.925, 1]);
  });

  it('without a callback does nothing', () => {
    const progress = new StagedProgress(undefined, { only: 1 });
    expect(() => (progress.stage('only')(0.5), progress.done())).not.toThrow();
  });
});
