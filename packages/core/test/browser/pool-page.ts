// Page script (bundled by browser-pool.test.ts): a WorkerPool of module Web Workers splitting a job.
import { WorkerPool, splitRange } from '../../src/index.js';

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
