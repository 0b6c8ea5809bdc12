// runWorker's `threads` reaches the step's context in the step thread (and is checked first).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// the step thread's script is built next to the bundle, so this test runs the built worker
import { openStore, runWorker } from '../dist/index.js';

const STEPS_MODULE = new URL('./fixtures/threads-steps.mjs', import.meta.url).href;

describe('runWorker threads', () => {
  it("passes threads to the job's step, and refuses a bad value naming it", async () => {
    const store = await openStore({ store: join(mkdtempSync(join(tmpdir(), 'spyglass-wthreads-')), '.spyglass') });
    try {
      await expect(runWorker(store, { stepsModule: STEPS_MODULE, threads: 0 })).rejects.toThrow(/threads/);
      await store.enqueue({ step: 'threads', inputs: {} });
      expect(await runWorker(store, { stepsModule: STEPS_MODULE, threads: 3, exitWhenIdle: true, pollMs: 50 })).toBe(1);
      const [job] = await store.jobs();
      const { key } = job.result as { key: string };
      expect((await store.getResult(key))?.summary.threads).toBe(3);
    } finally {
      await store.close();
    }
  });
});
