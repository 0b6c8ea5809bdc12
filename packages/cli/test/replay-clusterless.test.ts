// spyglass replay --mode clusterless on a simulated sleep/run/sleep day: marks from the raw recording (no sorting),
// ripples detected in the decode epoch, each scored; the replay_events table written to the --out analysis file.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { simulateReplayDay, writeSessionNwb } from '@spyglass-wasm/sim';
import { runCli } from './run-cli.js';

let dir: string, day: string;
beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'spyglass-replay-cli-'));
  day = join(dir, 'day.nwb');
  // small enough for a busy 2-core machine: 90 s of running to learn place fields, 40 s of sleep with ~20
  // ripples; the raw recording (for marks and the LFP) covers run1 and sleep2
  const epochs = [
    { name: 'sleep1', kind: 'sleep', seconds: 10 },
    { name: 'run1', kind: 'run', seconds: 90 },
    { name: 'sleep2', kind: 'sleep', seconds: 40 },
  ] as const;
  await writeSessionNwb(
    simulateReplayDay({ seed: 1, epochs: [...epochs], raw: { start: 10, seconds: 130, fs: 20000 } }),
    day,
  );
}, 900_000);

describe('spyglass replay --mode clusterless', () => {
  it('finds replay events in sleep2 with place fields of run1 and writes the replay_events table', async () => {
    const out = join(dir, 'replay.nwb');
    const argv = ['replay', day, '--encode', 'run1', '--decode', 'sleep2', '--mode', 'clusterless', '--out', out];
    const r = await runCli([...argv, '--store', join(dir, 'store'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.summary.events).toBeGreaterThanOrEqual(5);
    expect(d.summary.significant).toBeGreaterThanOrEqual(1);
    expect(d.events).toHaveLength(d.summary.events);
    for (const e of d.events) {
      expect(e.start).toBeGreaterThanOrEqual(100); // sleep2: 100-140 s
      expect(e.stop).toBeLessThanOrEqual(140);
    }
    const nwb = await openNwb(out);
    try {
      const table = nwb.intervals().find((t) => t.name === 'replay_events');
      expect(table).toBeDefined();
      expect(table!.intervals).toHaveLength(d.summary.events);
      for (const c of ['start_position', 'end_position', 'continuous_fraction', 'replay_score', 'p_value', 'direction'])
        expect(Object.keys(table!.columns), c).toContain(c);
    } finally {
      nwb.close();
    }
  }, 900_000);
});
