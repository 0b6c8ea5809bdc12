// Progress on stderr: a bar with an ETA on a terminal, one line per step elsewhere, nothing with --quiet.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progress } from '../src/index.js';
import type { CommandIO } from '../src/index.js';

function io(isTTY: boolean, env: Record<string, string> = {}): { io: CommandIO; text: () => string } {
  const stderr = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stderr.on('data', (d) => (text += d));
  return { io: { stdout: new PassThrough(), stderr, cwd: '/', env }, text: () => text };
}

describe('progress', () => {
  it('draws a bar with an ETA on a terminal, at most ten times a second', async () => {
    let t = 0;
    const { io: tty, text } = io(true);
    const report = progress(tty, 'sort', () => t);
    t = 1000;
    report(0.25);
    t = 1050;
    report(0.3); // within 100 ms of the last draw: skipped
    t = 2000;
    report(0.5);
    t = 4000;
    report(1);
    await new Promise((r) => setImmediate(r));
    expect(text()).toMatch(/sort \[######\.+\] {2}25% ETA 3 s/);
    expect(text()).not.toMatch(/30%/);
    expect(text()).toMatch(/ 50% ETA 2 s/);
    expect(text()).toMatch(/sort done in 4\.0 s/);
  });
  it('writes one line per step when stderr is not a terminal, and nothing when quiet', async () => {
    const { io: pipe, text } = io(false);
    const report = progress(pipe, 'lfp');
    report(0.5);
    report(1);
    report(1);
    const quiet = io(false, { SPYGLASS_QUIET: '1' });
    progress(quiet.io, 'lfp')(1);
    await new Promise((r) => setImmediate(r));
    expect(text().trim().split('\n')).toHaveLength(1);
    expect(text()).toMatch(/^lfp done in/);
    expect(quiet.text()).toBe('');
  });
});
