import { checkNumber } from '@spyglass-wasm/core';
import { MAX_LEASE_MS, runWorker } from '@spyglass-wasm/provenance';
import { createRequire } from 'node:module';
import type { Command } from '../lib/command.js';
import { printJson } from '../lib/output.js';
import { storeFor, STORE_OPTIONS } from '../lib/step-command.js';

/** `spyglass worker --store postgres://…`: take jobs from a shared store until stopped. */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run queued jobs from a (PostgreSQL) store: leased, crash-safe, each job completed once',
  usage:
    'spyglass worker [--store postgres://…] [--name NAME] [--lease SECONDS] [--grace SECONDS] [--exit-when-idle] [--json]\n  SIGTERM/SIGINT: take no new job; the running one may finish within --grace (default: the lease), else it goes back to the queue',
  options: {
    ...STORE_OPTIONS,
    name: { type: 'string' },
    lease: { type: 'string' },
    grace: { type: 'string' },
    'exit-when-idle': { type: 'boolean' },
  },
  async run({ values }, io) {
    const leaseMs = checkNumber('--lease', Number(values.lease ?? 60), { min: 1, max: MAX_LEASE_MS / 1000 }) * 1000;
    const graceMs =
      values.grace === undefined
        ? undefined
        : checkNumber('--grace', Number(values.grace), { min: 0, max: MAX_LEASE_MS / 1000 }) * 1000;
    const store = await storeFor(io, values);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const done = await runWorker(store, {
        // the steps run in a worker thread, which imports the same pipelines package
        name: values.name as string | undefined,
        stepsModule: createRequire(import.meta.url).resolve('@spyglass-wasm/pipelines'),
        leaseMs,
        graceMs,
        exitWhenIdle: Boolean(values['exit-when-idle']),
        signal: stop.signal,
        onEvent: (e) =>
          values.json ? undefined : io.stderr.write(`job ${e.job} ${e.event}${e.detail ? `: ${e.detail}` : ''}\n`),
      });
      if (values.json) printJson(io, { completed: done });
      else io.stdout.write(`completed ${done} jobs\n`);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await store.close();
    }
    return 0;
  },
};
