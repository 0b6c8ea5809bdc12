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

  it('stops at once when told to stop while it claims, even with an hour-long idle poll', async () => {
    const store = await openStore({ store: join(mkdtempSync(join(tmpdir(), 'spyglass-wstop-')), '.spyglass') });
    try {
      const stop = new AbortController();
      const claim = store.claim.bind(store);
      let claims = 0;
      // SIGTERM lands mid-claim: the claim finds nothing, then the loop must not begin its hour's wait
      store.claim = async (...args) => {
        claims++;
        const job = await claim(...args);
        stop.abort();
        return job;
      };
      expect(await runWorker(store, { stepsModule: STEPS_MODULE, pollMs: 3_600_000, signal: stop.signal })).toBe(0);
      expect(claims).toBe(1);
    } finally {
      await store.close();
    }
  });
});
