import type { CommandIO } from './command.js';

/** Writes `value` as one JSON document on stdout (for `--json`). */
export function printJson(io: CommandIO, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * A progress reporter that draws on stderr only when stderr is a terminal, so piped and `--json`
 * output stay clean.
 */
export function progress(io: CommandIO, label: string): (fraction: number, detail?: string) => void {
  if (!io.stderr.isTTY) return () => {};
  let last = -1;
  return (fraction, detail = '') => {
    const pct = Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
    if (pct === last && !detail) return;
    last = pct;
    io.stderr.write(`\r${label} ${String(pct).padStart(3)}% ${detail}`.padEnd(60) + (pct >= 100 ? '\n' : ''));
  };
}
