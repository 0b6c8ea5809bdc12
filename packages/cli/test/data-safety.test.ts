// The CLI never hurts data: --out is never an input, an existing file is replaced only with
// --force, bad paths get one line naming them, and export never writes into a full folder unasked.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runUnprivileged } from '../../../scripts/test-unprivileged.js';
import { runCli } from './run-cli.js';

const CLI_DIST = new URL('../dist/index.js', import.meta.url).href;

const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
let dir: string, raw: string, store: string;

beforeAll(() => {
  dir = mkdtempSync(join(os.tmpdir(), 'spyglass-safety-'));
  raw = join(dir, 'victim.nwb');
  copyFileSync(SESSION, raw);
  store = join(dir, 'store');
});

/** One line on stderr, exit code as given, and the raw file untouched. */
function expectRefused(r: { code: number; stderr: string }, code: number, pattern: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(statSync(raw).size).toBe(statSync(SESSION).size);
}

describe('--out never overwrites an input', () => {
  it('refuses the input itself, even with --force', async () => {
    expectRefused(
      await runCli(['ripples', raw, '--out', raw, '--store', store]),
      1,
      /--out.*never an input.*victim\.nwb/,
    );
    expectRefused(await runCli(['ripples', raw, '--out', raw, '--store', store, '--force']), 1, /never an input/);
  });
  it('refuses another spelling, a hard link and a symbolic link of the input', async () => {
    expectRefused(
      await runCli(['lfp', 'victim.nwb', '--out', './victim.nwb', '--store', store, '--force'], dir),
      1,
      /never an input/,
    );
    const hard = join(dir, 'hard.nwb');
    linkSync(raw, hard);
    expectRefused(await runCli(['lfp', raw, '--out', hard, '--store', store, '--force']), 1, /never an input/);
    const soft = join(dir, 'soft.nwb');
    symlinkSync(raw, soft);
    expectRefused(await runCli(['sort', raw, '--out', soft, '--store', store, '--force']), 1, /never an input/);
  });
  it('replaces an existing output only with --force', async () => {
    const out = join(dir, 'ripples.nwb');
    writeFileSync(out, 'keep me');
    expectRefused(await runCli(['ripples', raw, '--out', out, '--store', store]), 1, /--out.*--force.*exists/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const r = await runCli(['ripples', raw, '--out', out, '--store', store, '--force']);
    expect(r.code).toBe(0);
    expect(readFileSync(out).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x48, 0x44, 0x46])); // HDF5 signature
  });
  it('--out is a copy of the stored analysis file (same bytes, same provenance record)', async () => {
    const out = join(dir, 'ripples-copy.nwb');
    const r = JSON.parse((await runCli(['ripples', raw, '--out', out, '--store', store, '--json'])).stdout);
    expect(readFileSync(out).equals(readFileSync(r.analysisFile))).toBe(true);
  });
});

describe('ripples and replay check --out before any upstream step', () => {
  /** The commands that run lfp (and position, ripples) before their own step. */
  const upstream = {
    ripples: (out: string[]) => ['ripples', raw, ...out],
    replay: (out: string[]) => ['replay', raw, '--encode', 'run1', '--decode', 'sleep2', ...out],
  };
  let n = 0;
  /** Refused in one line with exit 1, and nothing computed: the fresh store holds no result. */
  async function expectRefusedFirst(argv: string[], pattern: RegExp): Promise<void> {
    const fresh = join(dir, `fresh-store-${n++}`);
    expectRefused(await runCli([...argv, '--store', fresh]), 1, pattern);
    const ls = await runCli(['ls', '--store', fresh, '--json']);
    expect(JSON.parse(ls.stdout)).toEqual([]);
  }
  for (const [name, command] of Object.entries(upstream)) {
    it(`${name}: an existing --out without --force`, async () => {
      const out = join(dir, `${name}-existing.nwb`);
      writeFileSync(out, 'keep me');
      await expectRefusedFirst(command(['--out', out]), /--out.*--force.*exists/);
      expect(readFileSync(out, 'utf8')).toBe('keep me');
    });
    it(`${name}: --out is the input, even with --force`, async () => {
      await expectRefusedFirst(command(['--out', raw, '--force']), /--out.*never an input.*victim\.nwb/);
    });
    it(`${name}: --out in a folder that does not exist`, async () => {
      await expectRefusedFirst(
        command(['--out', '/nonexistent/dir/x.nwb']),
        /--out.*\/nonexistent\/dir\/x\.nwb \(no folder \/nonexistent\/dir\)/,
      );
    });
  }
});

describe('bad paths get one line naming them', () => {
  it('an output folder that does not exist', async () => {
    expectRefused(
      await runCli(['lfp', raw, '--out', '/nonexistent/dir/x.nwb', '--store', store]),
      1,
      /--out.*\/nonexistent\/dir\/x\.nwb \(no folder \/nonexistent\/dir\)/,
    );
  });
  it('a folder, a FIFO, a missing file as input', async () => {
    expectRefused(await runCli(['info', os.tmpdir()]), 1, /not a folder/);
    const fifo = join(dir, 'pipe.nwb');
    execFileSync('mkfifo', [fifo]);
    expectRefused(await runCli(['info', fifo]), 1, /not a FIFO/);
    expectRefused(await runCli(['lfp', join(dir, 'missing.nwb'), '--store', store]), 1, /no such file/);
  });
  it('an unreadable file (run as nobody when the suite runs as root, who reads everything)', () => {
    const open = mkdtempSync(join(os.tmpdir(), 'spyglass-locked-'));
    chmodSync(open, 0o755);
    const locked = join(open, 'locked.nwb');
    copyFileSync(SESSION, locked);
    chmodSync(locked, 0o000);
    const r = runUnprivileged(
      `import { commands, main } from '${CLI_DIST}';`,
      `process.exitCode = await main(['info', ${JSON.stringify(locked)}], commands, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });`,
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/locked\.nwb \(permission denied\)/);
    rmSync(open, { recursive: true, force: true });
  });
});

describe('export', () => {
  it('refuses a non-empty folder and says what is in it; --force writes into it', async () => {
    const lfp = JSON.parse((await runCli(['lfp', raw, '--store', store, '--json'])).stdout);
    const crate = join(dir, 'crate');
    mkdirSync(crate);
    writeFileSync(join(crate, 'notes.txt'), 'mine');
    expectRefused(await runCli(['export', lfp.result, '--out', crate, '--store', store]), 1, /--out.*holds notes\.txt/);
    expect((await runCli(['export', lfp.result, '--out', crate, '--store', store, '--force'])).code).toBe(0);
    expect(readFileSync(join(crate, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
