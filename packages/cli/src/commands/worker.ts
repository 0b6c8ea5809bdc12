import { checkNumber } from '@spyglass-wasm/core';
import { MAX_LEASE_MS, runWorker } from '@spyglass-wasm/provenance';
import { createRequire } from 'node:module';
import type { Command } from '../lib/command.js';
import { usage, UsageError } from '../lib/options.js';
import { printJson } from '../lib/output.js';
import { storeFor, STORE_OPTIONS } from '../lib/step-command.js';

/** `spyglass worker --store postgres://…`: take jobs from a shared store until stopped. */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run queued jobs from a (PostgreSQL) store: leased, crash-safe, each job completed once',
  args: '',
  options: {
    ...STORE_OPTIONS,
    name: { type: 'string', value: 'NAME', help: 'this worker in the job records', default: 'host:pid' },
    lease: {
      type: 'string',
      value: 'SECONDS',
      help: 'how long a job stays leased without a heartbeat before another worker may take it',
      default: '60',
    },
    grace: {
      type: 'string',
      value: 'SECONDS',
      help: 'after SIGTERM/SIGINT, time the running job may take before it goes back to the queue (2nd signal: now)',
      default: 'the lease',
    },
    'exit-when-idle': { type: 'boolean', help: 'stop when the queue is empty' },
  },
  examples: ['spyglass worker --store postgres://lab-db/spyglass', 'spyglass worker --exit-when-idle --json'],
  async run({ values, positionals }, io) {
    if (positionals.length) throw new UsageError('worker', 'no positional arguments', positionals.join(' '));
    const seconds = (name: string, value: unknown, min: number) =>
      usage(() => checkNumber(name, Number(value), { min, max: MAX_LEASE_MS / 1000 }) * 1000);
    const leaseMs = seconds('--lease', values.lease ?? 60, 1);
    const graceMs = values.grace === undefined ? undefined : seconds('--grace', values.grace, 0);
    const store = await storeFor(io, values);
    // the first signal stops taking jobs and lets the running one finish within the grace period; the
    // second gives it back at once (Slurm's scancel sends SIGTERM, then SIGKILL after its KillWait)
    const stop = new AbortController();
    const releaseNow = new AbortController();
    const onSignal = () => (stop.signal.aborted ? releaseNow.abort() : stop.abort());
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const done = await runWorker(store, {
        // the steps run in a worker thread, which imports the same pipelines package
        name: values.name as string | undefined,
        stepsModule: createRequire(import.meta.url).resolve('@spyglass-wasm/pipelines'),
        leaseMs,
        graceMs,
        threads: io.threads,
        exitWhenIdle: Boolean(values['exit-when-idle']),
        signal: stop.signal,
        releaseSignal: releaseNow.signal,
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
