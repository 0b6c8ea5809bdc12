// Provenance overhead on a pipeline run: LFP -> ripples -> decode on the bundled tetrode session (30 s,
// 8 channels, 30 kHz) through runStep (hash inputs, key, store, result file + analysis NWB,
// commit) vs the same steps' compute alone. Also: store open, and a fully cached rerun.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileEntity, openStore, runStep } from '@spyglass-wasm/provenance';
import { decodeStep, lfpStep, ripplesStep } from '@spyglass-wasm/pipelines';
import { NwbWriter } from '@spyglass-wasm/nwb-io';
import { createRng } from '@spyglass-wasm/sim';
import { benchLong, timeIt, versus } from '../lib/harness.mjs';

export const name = 'provenance-overhead';
const SESSION = new URL('../../packages/nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;

export async function run() {
  const rows = [];
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(os.tmpdir(), 'bench-prov-'));
    const t0 = performance.now();
    const store = await openStore({ store: join(dir, '.spyglass') });
    const openMs = performance.now() - t0;
    const lfp = await runStep(store, lfpStep, { raw: { file: SESSION } });
    const rip = await runStep(store, ripplesStep, { lfp: { result: lfp.key }, session: { file: SESSION } });
    const dec = await runStep(store, decodeStep, { units: { file: SESSION } });
    const c0 = performance.now();
    await runStep(store, lfpStep, { raw: { file: SESSION } });
    await runStep(store, ripplesStep, { lfp: { result: lfp.key }, session: { file: SESSION } });
    await runStep(store, decodeStep, { units: { file: SESSION } });
    const cachedMs = performance.now() - c0;
    // without the analysis NWB files: the provenance bookkeeping alone
    const bare = await openStore({ store: join(dir, 'bare') });
    const lfp2 = await runStep(bare, lfpStep, { raw: { file: SESSION } }, { nwb: false });
    const rip2 = await runStep(
      bare,
      ripplesStep,
      { lfp: { result: lfp2.key }, session: { file: SESSION } },
      { nwb: false },
    );
    const dec2 = await runStep(bare, decodeStep, { units: { file: SESSION } }, { nwb: false });
    await bare.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    runs.push({ openMs, steps: [lfp, rip, dec], bare: [lfp2, rip2, dec2], cachedMs });
  }
  const med = (f) => runs.map(f).sort((a, b) => a - b)[1];
  const sum = (list, k) => list.reduce((a, o) => a + o.timing[k], 0);
  const compute = med((r) => sum(r.steps, 'computeMs'));
  const total = med((r) => sum(r.steps, 'totalMs'));
  const totalBare = med((r) => sum(r.bare, 'totalMs'));
  const overheadBare = med(
    (r) => (100 * (sum(r.bare, 'totalMs') - sum(r.bare, 'computeMs'))) / sum(r.bare, 'computeMs'),
  );
  const overhead = med(
    (r) => (100 * (sum(r.steps, 'totalMs') - sum(r.steps, 'computeMs'))) / sum(r.steps, 'computeMs'),
  );
  // hashing the 11 MB input alone (first use of a file in a process)
  const hashMs =
    (await timeIt(
      async () => {
        const { hashFile } = await import('@spyglass-wasm/provenance');
        await hashFile(SESSION);
      },
      { repeat: 3 },
    )) * 1000;
  rows.push(
    { what: 'compute (step.run, lfp + ripples + decode)', ms: compute, 'overhead %': 0 },
    {
      what: 'runStep total, provenance only (hash, key, store, result file)',
      ms: totalBare,
      'overhead %': overheadBare,
    },
    { what: 'runStep total incl. analysis NWB files', ms: total, 'overhead %': overhead },
    { what: 'fully cached rerun (all three steps)', ms: med((r) => r.cachedMs), 'overhead %': NaN },
    { what: 'BLAKE3 of the 11 MB session file (once per file per process)', ms: hashMs, 'overhead %': NaN },
    { what: 'store open + migrate (once per process)', ms: med((r) => r.openMs), 'overhead %': NaN },
  );
  const long = await longerSession();
  return {
    summary: [
      versus(
        'runStep on a 30 s session (lfp + ripples + decode)',
        totalBare / 1000,
        'the steps alone (step.run)',
        compute / 1000,
        'overhead < 2 %',
      ),
      versus(
        `runStep, ${long.title.split(' on a ')[1].split(' (')[0]}`,
        long.rows[1].ms / 1000,
        'the steps alone (step.run)',
        long.rows[0].ms / 1000,
        'overhead < 2 %',
      ),
    ],
    tables: [
      long,
      { title: 'LFP -> ripples -> decode on tetrode-session.nwb (30 s × 8 ch × 30 kHz), median of 3', rows },
    ],
    notes: [
      'target: provenance overhead < 2% of compute; NWB writing is output, reported separately; store open is once per process',
    ],
  };
}

/** LFP -> ripples on a longer synthetic recording (int16, 8 ch, 30 kHz), where compute dominates. */
async function longerSession() {
  const seconds = Number(process.env.BENCH_PROV_SECONDS ?? (benchLong ? 120 : 30)); // 120 s with BENCH_LONG=1
  const fs = 30000,
    cols = 8,
    rows = fs * seconds;
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-prov-long-'));
  const file = join(dir, 'long.nwb');
  const rng = createRng(7);
  const w = await NwbWriter.create(file, {
    identifier: 'bench-long',
    sessionDescription: 'synthetic',
    sessionStartTime: '2024-01-01T00:00:00Z',
  });
  w.addElectrodes({
    groups: [{ name: 'tetrode0' }, { name: 'tetrode1' }],
    group: Array.from({ length: cols }, (_, c) => `tetrode${c >> 2}`),
  });
  const block = fs * 10;
  let appender;
  for (let start = 0; start < rows; start += block) {
    const data = new Int16Array(block * cols);
    for (let i = 0; i < block; i++) {
      const t = (start + i) / fs;
      const ripple = t % 7 < 0.06 ? 300 * Math.sin(2 * Math.PI * 180 * t) : 0;
      for (let c = 0; c < cols; c++)
        data[i * cols + c] = Math.round(40 * rng.normal() + 200 * Math.sin(2 * Math.PI * 8 * t) + ripple);
    }
    const m = { data, rows: block, cols };
    if (!appender)
      appender = w.addElectricalSeries({
        name: 'e-series',
        container: null,
        module: 'ecephys',
        data: m,
        rate: fs,
        electrodes: Array.from({ length: cols }, (_, c) => c),
        conversion: 1e-6,
        unit: 'volts',
      });
    else appender.append(m);
  }
  await w.close();
  const store = await openStore({ store: join(dir, '.spyglass') });
  const h0 = performance.now();
  await fileEntity(file); // BLAKE3 of the input, once per file (cached by path, size and mtime)
  const hashMs = performance.now() - h0;
  const { statSync } = await import('node:fs');
  const mb = statSync(file).size / 1e6;
  const lfp = await runStep(store, lfpStep, { raw: { file } }, { nwb: false });
  const rip = await runStep(store, ripplesStep, { lfp: { result: lfp.key } }, { nwb: false });
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const compute = lfp.timing.computeMs + rip.timing.computeMs;
  const total = lfp.timing.totalMs + rip.timing.totalMs;
  return {
    title: `LFP -> ripples on a synthetic ${seconds} s × ${cols} ch × 30 kHz int16 recording (${mb.toFixed(0)} MB; ${rip.result.summary.events} events for ${Math.floor(seconds / 7) + 1} planted bursts)`,
    rows: [
      { what: 'compute (step.run)', ms: compute, 'overhead %': 0 },
      {
        what: 'runStep total: keys, store, result files, records',
        ms: total,
        'overhead %': (100 * (total - compute)) / compute,
      },
      {
        what: `BLAKE3 of the input file, once per file (${(mb / (hashMs / 1000)).toFixed(0)} MB/s)`,
        ms: hashMs,
        'overhead %': (100 * hashMs) / compute,
      },
    ],
  };
}
