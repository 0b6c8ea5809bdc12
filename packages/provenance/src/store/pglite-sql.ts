import type { Sql } from './sql.js';

type PGliteLike = {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(text: string): Promise<unknown>;
  transaction<T>(fn: (tx: PGliteTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};
type PGliteTx = Pick<PGliteLike, 'query' | 'exec'>;

/**
 * The embedded store's database: PGlite (Postgres in Wasm) in a folder (Node) or `idb://name`
 * (IndexedDB in browsers), or in memory with `memory://`.
 */
export async function pgliteSql(dataDir: string): Promise<Sql> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = (await PGlite.create(dataDir)) as unknown as PGliteLike;
  // PGlite is one connection: transactions queue behind each other instead of interleaving.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => {});
    return run;
  };
  const wrap = (q: PGliteTx): Omit<Sql, 'transaction' | 'close'> => ({
    query: async <T>(text: string, params?: unknown[]) => (await q.query<T>(text, params)).rows,
    exec: async (text: string) => void (await q.exec(text)),
  });
  const direct = wrap(db);
  return {
    query: (text, params) => serial(() => direct.query(text, params)),
    exec: (text) => serial(() => direct.exec(text)),
    transaction: (fn) =>
      serial(() =>
        db.transaction(async (tx) => {
          const inner = wrap(tx);
          const sql: Sql = { ...inner, transaction: (f) => f(sql), close: async () => {} };
          return fn(sql);
        }),
      ),
    close: () => serial(() => db.close()),
  };
}
