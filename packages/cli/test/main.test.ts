import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('spyglass', () => {
  it('prints help and exits 2 without a command', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/usage: spyglass <command>/);
  });
  it('rejects an unknown command with a one-line reason', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
