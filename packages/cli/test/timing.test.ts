// `spyglass run --timing` (#16): each step's wall time, throughput and peak RSS, in text and in --json.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
const PIPELINE = 'steps:\n  - step: lfp\n    inputs: { raw: $file }\n  - step: ripples\n    inputs: { lfp: lfp }\n';

describe('spyglass run --timing', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'cli-timing-'));
  const pipeline = join(dir, 'pipeline.yaml');
  writeFileSync(pipeline, PIPELINE);

  it("prints each step's wall time, samples/s, × real time and peak RSS after its key", async () => {
    const r = await runCli(['run', pipeline, SESSION, '--store', join(dir, 'a'), '--timing'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/ lfp: computed \S+$/);
    const timing = / {2}timing (\S+): (\d+\.\d\d) s wall, (\S+) M samples\/s \(×(\S+) real time\), peak RSS (\d+) MB$/;
    for (const [line, step] of [
      [lines[1], 'lfp'],
      [lines[3], 'ripples'],
    ] as const) {
      const m = timing.exec(line);
      expect(m, line).not.toBeNull();
      expect(m![1]).toBe(step);
      expect(Number(m![3])).toBeGreaterThan(0);
      expect(Number(m![4])).toBeGreaterThan(0);
      expect(Number(m![5])).toBeGreaterThan(10);
    }
  });

  it('adds the timing to each result in --json, and leaves the keys as they are without it', async () => {
    const store = join(dir, 'b');
    const timed = await runCli(['run', pipeline, SESSION, '--store', store, '--timing', '--json'], dir);
    expect(timed.code).toBe(0);
    const results = JSON.parse(timed.stdout).runs[0].results;
    expect(results.lfp.timing).toMatchObject({ step: 'lfp' });
    expect(results.lfp.timing.wallS).toBeGreaterThan(0);
    expect(results.lfp.timing.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(results.lfp.timing.realTime).toBeGreaterThan(0);
    const plain = JSON.parse((await runCli(['run', pipeline, SESSION, '--store', store, '--json'], dir)).stdout).runs[0]
      .results;
    expect(plain.lfp.timing).toBeUndefined();
    expect(plain.lfp.result).toBe(results.lfp.result);
    expect(plain.ripples.result).toBe(results.ripples.result);
  });
});
