// --threads: the sort step sorts the electrode groups on that many workers, with the same key and units.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from './run-cli.js';

const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
const sizes = vi.hoisted(() => [] as number[]);

// counts the pools the sort step creates (their workers load spike-sort's built dist/sort-worker.node.mjs)
vi.mock('@spyglass-wasm/spike-sort', async (original) => {
  const m = await original<typeof import('@spyglass-wasm/spike-sort')>();
  return { ...m, createSortPool: (o: { size?: number }) => (sizes.push(o.size ?? 0), m.createSortPool(o)) };
});

describe('spyglass --threads', () => {
  it('sort on 2 tetrodes with --threads 2 and --threads 1: the same key and the same units', async () => {
    const sort = async (threads: string) => {
      const dir = mkdtempSync(join(os.tmpdir(), `cli-threads-${threads}-`));
      const r = await runCli(['sort', SESSION, '--out', join(dir, 'sorted.nwb'), '--threads', threads], dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const [first, units] = r.stdout.split('\n');
      return { key: /\(computed (\S+)\)$/.exec(first)?.[1], units };
    };
    const two = await sort('2');
    expect(sizes).toEqual([2]);
    const one = await sort('1');
    expect(sizes).toEqual([2]);
    expect(two.key).toBeDefined();
    expect(two.key).toBe(one.key);
    expect(two.units).toContain('11 units: 10 accept, 0 mua, 1 noise');
    expect(two.units).toBe(one.units);
  });

  it('refuses a bad --threads with exit 2 naming the option, and --help shows its default', async () => {
    for (const bad of ['0', '-1', '1.5', 'many', '']) {
      const r = await runCli(['info', SESSION, '--threads', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^spyglass: parameter '--threads': expected an integer of at least 1/);
    }
    expect((await runCli(['info', SESSION, '--threads=3'])).code).toBe(0);
    expect((await runCli(['sort', '--threads'])).code).toBe(2);
    const help = await runCli(['sort', '--help']);
    expect(help.stdout).toMatch(
      /--threads N +threads a step may use .*\(default: os\.availableParallelism\(\), \d+ here\)/,
    );
    expect((await runCli(['--help'])).stdout).toMatch(/--threads N/);
  });
});
