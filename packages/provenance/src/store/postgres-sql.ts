import type { Listener, Sql } from './sql.js';
import { pgDriver } from '../platform.node.js';

/** A shared lab store's database: PostgreSQL through a `pg` connection pool. */
export async function postgresSql(connectionString: string): Promise<Sql> {
  const pg = await pgDriver();
  const { Pool, Client } = pg.default ?? pg;
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
    listen: (channel, onNotify) => listenOn(Client, connectionString, channel, onNotify),
  };
}

/** How long a lost LISTEN connection waits before it tries again. */
const RECONNECT_MS = 1000;

/**
 * LISTENs on `channel` over a client of its own; resolves after the first try to connect. When the
 * connection fails or drops, it tries again every RECONNECT_MS until closed, and on connecting
 * again calls `onNotify` (what was queued meanwhile sent no notification it heard).
 */
async function listenOn(
  Client: typeof import('pg').Client,
  connectionString: string,
  channel: string,
  onNotify: () => void,
): Promise<Listener> {
  let client: import('pg').Client | undefined;
  let up = false;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let first = true;
  const connect = async (): Promise<void> => {
    retry = undefined;
    const again = !first;
    first = false;
    const c = (client = new Client({ connectionString }));
    const lost = (): void => {
      if (client !== c) return;
      client = undefined;
      up = false;
      void c.end().catch(() => {});
      if (!closed) retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', () => onNotify());
    try {
      await c.connect();
      await c.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch {
      return lost();
    }
    if (client !== c) return void (await c.end().catch(() => {})); // closed meanwhile
    up = true;
    if (again) onNotify();
  };
  await connect();
  return {
    get connected() {
      return up;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      up = false;
      await c?.end().catch(() => {});
    },
  };
}
