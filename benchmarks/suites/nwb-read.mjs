// Reading a gzip-chunked int16 ElectricalSeries (32 ch × 20 s at 30 kHz, 60 s with BENCH_LONG=1; 1 s chunks): nwb-io's
// window reader (chunk cache, conversion to µV) against the same windows through plain h5wasm.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { NwbWriter, openNwb } from '@spyglass-wasm/nwb-io';
import { createRng } from '@spyglass-wasm/sim';
import { benchLong, timeIt, versus } from '../lib/harness.mjs';

export const name = 'nwb-read';

const fs = 30000,
  cols = 32;
const seconds = Number(process.env.BENCH_SECONDS ?? (benchLong ? 60 : 20)); // 60 s with BENCH_LONG=1

export async function run() {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-nwb-'));
  const path = join(dir, 'series.nwb');
  try {
    const rng = createRng(3);
    const second = () => Int16Array.from({ length: fs * cols }, () => Math.round(rng.normal() * 200));
    const w = await NwbWriter.create(path, {
      identifier: 'bench',
      sessionDescription: 'read bench',
      sessionStartTime: '2024-01-01T00:00:00Z',
    });
    w.addElectrodes({ groups: [{ name: 'probe' }], group: Array.from({ length: cols }, () => 'probe') });
    const app = w.addElectricalSeries({
      name: 'raw',
      container: null,
      module: 'ecephys',
      data: { data: second(), rows: fs, cols },
      rate: fs,
      electrodes: Array.from({ length: cols }, (_, i) => i),
      conversion: 1.95e-7,
      chunkRows: fs,
    });
    for (let s = 1; s < seconds; s++) app.append({ data: second(), rows: fs, cols });
    await w.close();
    const samples = seconds * fs * cols;

    const nwb = await openNwb(path);
    const windowRows = 10000; // windows not aligned to the 1 s chunks
    // A new series object per run: its chunk cache starts empty, so every chunk is decompressed.
    const readAll = (scale) => () => {
      const series = nwb.series('raw');
      for (let r = 0; r < seconds * fs; r += windowRows)
        series.read({ rows: [r, Math.min(seconds * fs, r + windowRows)], scale });
    };
    const tRaw = await timeIt(readAll('raw'));
    const tUv = await timeIt(readAll('microvolts'));
    nwb.close();

    await h5wasm.ready;
    const f = new h5wasm.File(path, 'r');
    const ds = f.get('processing/ecephys/raw/data');
    const tPlain = await timeIt(() => {
      for (let r = 0; r < seconds * fs; r += windowRows)
        ds.slice([
          [r, Math.min(seconds * fs, r + windowRows)],
          [0, cols],
        ]);
    });
    f.close();
    const rows = [
      { reader: 'plain h5wasm Dataset.slice (int16)', seconds: tPlain, 'Msamples/s': samples / tPlain / 1e6 },
      { reader: "nwb-io series.read (int16, scale 'raw')", seconds: tRaw, 'Msamples/s': samples / tRaw / 1e6 },
      { reader: 'nwb-io series.read (float32 µV)', seconds: tUv, 'Msamples/s': samples / tUv / 1e6 },
    ];
    for (const r of rows) r['x plain'] = tPlain / r.seconds;
    return {
      tables: [{ title: `${cols} ch × ${seconds} s int16, gzip chunks of 1 s, read in 1/3 s windows`, rows }],
      summary: [versus(`read ${cols} ch int16 gzip in 1/3 s windows`, tRaw, 'plain h5wasm Dataset.slice', tPlain)],
      notes: [
        "each 1 s chunk (1.9 MB) is larger than HDF5's default 1 MiB chunk cache, so plain h5wasm decompresses it again for each 1/3 s window; nwb-io's own chunk cache decompresses it once (every run starts with an empty cache)",
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
