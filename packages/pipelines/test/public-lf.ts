// The first channels of NWB GUIDE's public SpikeGLX LF series (2.5 kHz), in µV: a recording we
// did not make, for the windowed steps' tests.
import type { Matrix } from '@spyglass-wasm/core';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { publicFixture } from '../../../scripts/test-fixtures.js';

export async function publicLf(cols: number): Promise<{ lfp: Matrix<Float32Array>; rows: number; fs: number }> {
  const nwb = await openNwb(publicFixture('nwbguide_sub-001_ses-1.nwb'));
  try {
    const info = nwb.electricalSeries().find((x) => x.kind === 'continuous')!;
    const [rows] = info.shape;
    const channels = Array.from({ length: cols }, (_, c) => c);
    const lfp = nwb.series(info.path).read({ rows: [0, rows], channels, scale: 'microvolts' });
    return { lfp: lfp as Matrix<Float32Array>, rows, fs: info.timing.rate };
  } finally {
    nwb.close();
  }
}
