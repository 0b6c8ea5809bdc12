#!/usr/bin/env node
// Writes a simulated rest/run session of a given duration and channel count as NWB (int16,
// gzip, one chunk per second), streamed: memory stays that of a second of recording however long
// the session. `node lib/make-session.mjs --seconds 900 --channels 128 --out session.nwb`
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { simulateRestRunSession, writeSessionNwb } from '@spyglass-wasm/sim';

/**
 * A rest/run session of `seconds` on `channels` (a multiple of 4: tetrodes) at `fs`, written to
 * `path`; returns the path. Long sessions alternate rest and running as the short ones do.
 */
export async function makeSession({ seconds, channels, path, seed = 1, fs = 30000, unitsPerTetrode = 3 }) {
  if (!(Number.isInteger(channels) && channels > 0 && channels % 4 === 0))
    throw new Error(`make-session: channels must be a positive multiple of 4 (tetrodes), got ${channels}`);
  const session = simulateRestRunSession({
    seed,
    seconds,
    fs,
    nTetrodes: channels / 4,
    unitsPerTetrode,
    raw: 'stream',
  });
  await writeSessionNwb(session, path);
  return path;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      channels: { type: 'string', default: '16' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'session.nwb' },
    },
  });
  const t0 = performance.now();
  const path = await makeSession({
    seconds: Number(values.seconds),
    channels: Number(values.channels),
    seed: Number(values.seed),
    path: values.out,
  });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`wrote ${path}: ${values.seconds} s × ${values.channels} ch in ${s} s, peak RSS ${rss} MB`);
}
