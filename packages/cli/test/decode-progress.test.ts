// `spyglass decode` progress on stderr: one line per step on a pipe; on a terminal a bar with an ETA,
// redrawn from inside the decoder's chunk loops (likelihood, then filter and smoother chunks).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { commands, main } from '../src/index.js';

const FIXTURE = fileURLToPath(new URL('../../nwb-io/test/fixtures/linear-track-units.nwb', import.meta.url));
const dir = mkdtempSync(join(os.tmpdir(), 'spyglass-decode-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs `spyglass decode` (10 ms bins: 18 000 bins, 9 chunks of 2000) in a fresh store; stderr a terminal or not. */
async function decode(name: string, isTTY: boolean): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough(),
    stderr = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stderr.on('data', (d) => (text += d));
  stdout.resume();
  const argv = ['decode', FIXTURE, '--out', join(dir, `${name}.nwb`), '--bin-size', '0.01'];
  const code = await main([...argv, '--store', join(dir, `store-${name}`)], commands, {
    stdout,
    stderr,
    cwd: dir,
    env: {},
  });
  await new Promise((r) => setImmediate(r));
  return { code, stderr: text };
}

describe('spyglass decode progress', () => {
  it('on a pipe: one line for the step, saying how long it took', async () => {
    const r = await decode('pipe', false);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^decode done in \d+\.\d s/)]);
    expect(r.stderr).not.toMatch(/\r|\[#/);
  }, 300_000);

  it('on a terminal: a bar with an ETA, redrawn between the decoder chunks, then the done line', async () => {
    // a clock that moves 200 ms per reading, so every report is past the 10-per-second limit and drawn
    let t = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (t += 200));
    const r = await decode('tty', true);
    expect(r.code).toBe(0);
    const draws = r.stderr.split('\r').filter((s) => /^decode \[/.test(s));
    expect(draws[0]).toMatch(/^decode \[[#.]{24}\] +\d+% ETA \d+ s/);
    // the step reports 10 % after encoding; the rest comes from inside decoding, chunk by chunk
    const percents = new Set(draws.map((s) => Number(/(\d+)%/.exec(s)![1])).filter((p) => p > 10 && p < 100));
    expect(percents.size).toBeGreaterThanOrEqual(9);
    expect(r.stderr).toMatch(/\rdecode done in [\d.]+ s *\n$/);
  }, 300_000);
});
