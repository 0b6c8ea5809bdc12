import type { Sql } from './sql.js';
import { pgDriver } from '../platform.node.js';

/** A shared lab store's database: PostgreSQL through a `pg` connection pool. */
export async function postgresSql(connectionString: string): Promise<Sql> {
  const pg = await pgDriver();
  const Pool = (pg.default ?? pg).Pool;
  const pool = new Pool({ connectionString, max: 4 });
  pool.on('error', () => {}); // an idle client dropped by the server is replaced on next use
  // a client in use when the server goes away (a restart) also emits 'error': its query fails, the caller retries
  pool.on('connect', (client) => void client.on('error', () => {}));
  const on = (c: {
    query: (t: string, p?: unknown[]) => Promise<{ rows: unknown[] }>;
  }): Omit<Sql, 'transaction' | 'close'> => ({
    query: async <T>(text: string, params?: unknown[]) => (await c.query(text, params)).rows as T[],
    exec: async (text: string) => void (await c.query(text)),
  });
  return {
    ...on(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const inner = on(client);
        const sql: Sql = { ...inner, transaction: (f) => f(sql), close: async () => {} };
        const out = await fn(sql);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: unknown) => (broken = e)); // a dead connection (server restarted) is dropped, not pooled
        throw err;
      } finally {
        client.release(broken as Error | undefined);
      }
    },
    close: () => pool.end(),
  };
}
