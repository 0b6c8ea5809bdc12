// Page script (bundled by browser-pool.test.ts): a WorkerPool of module Web Workers splitting a job.
import { WorkerError, WorkerPool, splitRange } from '../../src/index.js';

interface SumApi {
  sum(values: Float64Array): { sum: number; id: string };
}

(window as unknown as { runPool(): Promise<unknown> }).runPool = async () => {
  const pool = await WorkerPool.create<SumApi>(new URL('./pool-worker.js', location.href), { size: 2 });
  const data = Float64Array.from({ length: 1000 }, (_, i) => i);
  const parts = await pool.map(splitRange(data.length, 6), (api, r) => api.sum(data.slice(r.start, r.end)));
  await pool.terminate();
  return { total: parts.reduce((a, p) => a + p.sum, 0), workers: new Set(parts.map((p) => p.id)).size };
};

// A worker script that 404s: the pool rejects with a WorkerError instead of never settling.
(window as unknown as { runMissing(): Promise<unknown> }).runMissing = () =>
  WorkerPool.create(new URL('./missing-worker.js', location.href), { size: 2 }).then(
    () => ({ settled: 'resolved' }),
    (err: Error) => ({ settled: 'rejected', typed: err instanceof WorkerError, message: err.message }),
  );
