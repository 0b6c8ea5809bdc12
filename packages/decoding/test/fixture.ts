import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openNwb } from '@spyglass-wasm/nwb-io';

export const FIXTURE = fileURLToPath(new URL('../../nwb-io/test/fixtures/linear-track-units.nwb', import.meta.url));

export interface TrackTruth {
  units: { id: number; tetrode: number; center_cm: number; amp_uv: number; gains: number[]; spike_times: number[] }[];
  position: { t: number[]; x_cm: number[] };
}

/** The linear-track fixture: x position (cm), its times, the Units' spike times and the truth file. */
export async function loadLinearTrack() {
  const truth = JSON.parse(readFileSync(FIXTURE.replace(/\.nwb$/, '.truth.json'), 'utf8')) as TrackTruth;
  const file = await openNwb(FIXTURE);
  try {
    const series = file.position()[0];
    const x = new Float64Array(series.data.rows);
    for (let i = 0; i < x.length; i++) x[i] = series.data.data[i * series.data.cols] * 100; // m → cm
    const units = file.units()!;
    return { x, times: series.timestamps, spikeTimes: units.spikeTimes, groups: units.electrodeGroups ?? [], truth };
  } finally {
    file.close();
  }
}

/**
 * Clusterless marks for the fixture as the truth file defines its units: per spike the unit's
 * amplitude × channel gains on its tetrode plus Gaussian noise (`noiseUv`, seeded).
 */
export function truthMarks(truth: TrackTruth, noiseUv: number, seed = 5) {
  let s = seed >>> 0;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const tetrodes = [...new Set(truth.units.map((u) => u.tetrode))].sort();
  return tetrodes.map((tet) => {
    const ev: [number, number][] = [];
    truth.units.forEach((u, i) => {
      if (u.tetrode === tet) for (const t of u.spike_times) ev.push([t, i]);
    });
    ev.sort((a, b) => a[0] - b[0]);
    const marks = new Float64Array(ev.length * 4);
    ev.forEach(([, i], k) => {
      for (let c = 0; c < 4; c++)
        marks[k * 4 + c] = truth.units[i].amp_uv * truth.units[i].gains[c] + noiseUv * normal();
    });
    return { times: Float64Array.from(ev, (e) => e[0]), marks: { data: marks, rows: ev.length, cols: 4 } };
  });
}
