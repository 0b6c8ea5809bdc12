/** The little of SQL a store needs, over PGlite or a `pg` pool alike. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs several statements with no parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Listens on a notification channel over a connection of its own (PostgreSQL only), reconnecting
   * after the server restarts; `onNotify` also runs after each reconnection (notifications sent
   * meanwhile were lost).
   */
  listen?(channel: string, onNotify: () => void): Promise<Listener>;
}

/** A LISTEN connection: `connected` is false while it reconnects. */
export interface Listener {
  readonly connected: boolean;
  close(): Promise<void>;
}
