import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway PostgreSQL cluster: initdb'd and started as the `postgres` user (root cannot run it). */
export interface PgServer {
  url: string;
  /** Stops the server (fast: open connections are cut) and starts it again on the same port. */
  restart(): void;
  stop(): void;
}

function pgBin(name: string): string {
  for (const v of ['17', '16', '15', '14', '13']) {
    const p = `/usr/lib/postgresql/${v}/bin/${name}`;
    if (existsSync(p)) return p;
  }
  throw new Error(`PostgreSQL ${name} not found: run scripts/setup-system.sh (apt-get install postgresql)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const asPostgres = (cmd: string, args: string[]): string[] =>
  process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args];

/** Starts a fresh cluster on a free loopback port; `stop()` shuts it down and deletes it. */
export async function startPgServer(): Promise<PgServer> {
  const dir = mkdtempSync(join(tmpdir(), 'spyglass-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const run = (argv: string[]): void => {
    const [cmd, ...rest] = argv;
    execFileSync(cmd, rest, { stdio: 'pipe', cwd: dir });
  };
  run(asPostgres(pgBin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']));
  const start = (): void =>
    run(
      asPostgres(pgBin('pg_ctl'), [
        '-D',
        data,
        '-l',
        join(dir, 'log'),
        '-w',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
        'start',
      ]),
    );
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart() {
      run(asPostgres(pgBin('pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']));
      start();
    },
    stop() {
      const [cmd, ...rest] = asPostgres(pgBin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      spawnSync(cmd, rest, { stdio: 'ignore', cwd: dir });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
