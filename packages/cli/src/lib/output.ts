import type { CommandIO } from './command.js';

/** Writes `value` as one JSON document on stdout (for `--json`). */
export function printJson(io: CommandIO, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * A progress reporter on stderr: on a terminal, a bar with the percentage and an ETA, redrawn at
 * most ten times a second; elsewhere (a pipe, a log file) one line when the work ends. Silent with
 * `SPYGLASS_QUIET` (set by --quiet), so piped and `--json` output stay clean either way.
 *
 * @example
 * const report = progress(io, 'sort'); report(0.5); report(1);
 */
export function progress(
  io: CommandIO,
  label: string,
  now: () => number = () => performance.now(),
): (fraction: number, detail?: string) => void {
  if (io.env.SPYGLASS_QUIET) return () => {};
  const t0 = now();
  let lastDraw = -Infinity,
    finished = false;
  return (fraction, detail = '') => {
    if (finished) return;
    const f = Math.max(0, Math.min(1, fraction));
    const elapsed = (now() - t0) / 1000;
    if (f >= 1) {
      finished = true;
      io.stderr.write(
        `${io.stderr.isTTY ? '\r' : ''}${`${label} done in ${elapsed.toFixed(1)} s ${detail}`.padEnd(io.stderr.isTTY ? 72 : 0)}\n`,
      );
      return;
    }
    if (!io.stderr.isTTY || now() - lastDraw < 100) return;
    lastDraw = now();
    const width = 24,
      filled = Math.round(f * width);
    const eta = f > 0.01 ? ` ETA ${Math.ceil((elapsed * (1 - f)) / f)} s` : '';
    io.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%${eta} ${detail}`.padEnd(
        72,
      ),
    );
  };
}

/** A result summary as `key=value` pairs (numbers and strings; the analysis file name left out). */
export function summaryText(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .filter(([k, v]) => k !== 'analysisFile' && typeof v !== 'object')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
