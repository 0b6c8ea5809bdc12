import { checkNumber } from '@spyglass-wasm/core';
import { STEPS } from '@spyglass-wasm/pipelines';
import { runWorker } from '@spyglass-wasm/provenance';
import type { Command } from '../lib/command.js';
import { printJson } from '../lib/output.js';
import { storeFor, STORE_OPTIONS } from '../lib/step-command.js';

/** `spyglass worker --store postgres://…`: take jobs from a shared store until stopped. */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run queued jobs from a (PostgreSQL) store: leased, crash-safe, each job completed once',
  usage: 'spyglass worker [--store postgres://…] [--name NAME] [--lease SECONDS] [--exit-when-idle] [--json]',
  options: { ...STORE_OPTIONS, name: { type: 'string' }, lease: { type: 'string' }, 'exit-when-idle': { type: 'boolean' } },
  async run({ values }, io) {
    const leaseMs = checkNumber('--lease', Number(values.lease ?? 60), { min: 1 }) * 1000;
    const store = await storeFor(io, values);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const done = await runWorker(store, {
        name: values.name as string | undefined, steps: STEPS, leaseMs, exitWhenIdle: Boolean(values['exit-when-idle']), signal: stop.signal,
        onEvent: (e) => (values.json ? undefined : io.stderr.write(`job ${e.job} ${e.event}${e.detail ? `: ${e.detail}` : ''}\n`)),
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
