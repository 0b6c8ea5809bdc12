// Exit status, consistently across commands: 2 for a usage error (unknown option, a missing or extra argument, an
// option value of the wrong type or out of bounds, found before any file is read), 1 for bad data (a missing or
// unreadable file, not NWB, an unknown result, a failed verify). One reason line; usage errors add the usage line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const SESSION = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));
let dir: string, store: string;
beforeAll(() => {
  dir = mkdtempSync(join(os.tmpdir(), 'spyglass-exit-'));
  store = join(dir, 'store');
  writeFileSync(join(dir, 'not.nwb'), 'not an HDF5 file');
  writeFileSync(join(dir, 'p.yaml'), 'steps:\n  - step: lfp\n    inputs: { raw: $file }\n');
});

const S = () => ['--store', store];
// [command line, exit code, what the reason names]
const CASES: [string, () => string[], number, RegExp][] = [
  ['unknown option', () => ['lfp', SESSION, '--bogus'], 2, /--bogus/],
  ['unknown option (query)', () => ['ls', '--stepp', 'sort'], 2, /--stepp/],
  ['option without its value', () => ['sort', SESSION, '--group'], 2, /--group/],
  ['missing FILE', () => ['lfp'], 2, /'FILE'/],
  ['missing FILE (decode)', () => ['decode', '--out', join(dir, 'x.nwb')], 2, /'FILE'/],
  ['extra positional', () => ['ripples', SESSION, SESSION], 2, /'FILE'/],
  ['extra positional (info)', () => ['info', SESSION, SESSION], 2, /'FILE'/],
  ['missing RESULT', () => ['log', ...S()], 2, /'RESULT'/],
  ['missing PIPELINE FILE', () => ['run', join(dir, 'p.yaml')], 2, /PIPELINE FILE/],
  ['missing required --out', () => ['sort', SESSION], 2, /'--out'/],
  ['missing required --encode', () => ['replay', SESSION, '--decode', 'run'], 2, /'--encode'/],
  ['not a number', () => ['decode', SESSION, '--out', join(dir, 'x.nwb'), '--bin-size', 'abc'], 2, /--bin-size/],
  ['not a number (sort)', () => ['sort', SESSION, '--out', join(dir, 'x.nwb'), '--threshold', 'x'], 2, /--threshold/],
  [
    'out of bounds (sort)',
    () => ['sort', SESSION, '--out', join(dir, 'x.nwb'), '--learn-spikes', '50'],
    2,
    /--learn-spikes/,
  ],
  ['out of bounds', () => ['decode', SESSION, '--out', join(dir, 'x.nwb'), '--train-fraction', '1.5'], 2, /train-/],
  ['not a choice', () => ['replay', SESSION, '--encode', 'run', '--decode', 'run', '--mode', 'x'], 2, /'--mode'/],
  ['unknown parameter set', () => ['lfp', SESSION, '--params', 'nope', ...S()], 2, /'--params'/],
  ['--detector names itself', () => ['ripples', SESSION, '--detector', 'foo', ...S()], 2, /'--detector'/],
  ['bad --start/--stop', () => ['lfp', SESSION, '--start', '5', '--stop', '1'], 2, /'--stop'/],
  ['bad --split syntax', () => ['curate', 'abc', '--split', '4', '--out', join(dir, 'c.nwb')], 2, /'--split'/],
  ['bad --lease', () => ['worker', '--lease', '0', ...S()], 2, /'--lease'/],
  ['bad --port', () => ['view', SESSION, '--port', '99999'], 2, /'--port'/],
  ['unknown step (ls)', () => ['ls', '--step', 'nope', ...S()], 2, /'--step'/],
  ['no such file', () => ['lfp', join(dir, 'missing.nwb'), ...S()], 1, /missing\.nwb \(no such file\)/],
  ['no such file (info)', () => ['info', join(dir, 'missing.nwb')], 1, /missing\.nwb/],
  ['a folder for FILE', () => ['sort', dir, '--out', join(dir, 'x.nwb'), ...S()], 1, /not a folder/],
  ['not NWB', () => ['lfp', join(dir, 'not.nwb'), ...S()], 1, /not\.nwb/],
  ['not NWB (info)', () => ['info', join(dir, 'not.nwb')], 1, /not\.nwb/],
  ['an interval the file lacks', () => ['lfp', SESSION, '--interval', 'sleep9', ...S()], 1, /sleep9/],
  ['unknown result', () => ['show', 'deadbeef', ...S()], 1, /no result deadbeef/],
  ['verify of a missing crate', () => ['verify', join(dir, 'no-crate')], 1, /no-crate/],
  ['unreadable pipeline file', () => ['run', join(dir, 'none.yaml'), SESSION, ...S()], 1, /none\.yaml/],
];

describe('exit codes', () => {
  it.each(CASES)('%s', async (_name, argv, code, names) => {
    const r = await runCli(argv());
    expect(r.code, r.stderr).toBe(code);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(names);
    if (code === 2) expect(lines.slice(1)).toEqual([expect.stringMatching(/^usage: spyglass \S+/)]);
    else expect(lines).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
