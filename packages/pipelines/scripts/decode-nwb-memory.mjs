// Peak RSS and CPU of the decode step's analysis NWB writing alone, over a decode of <bins> time
// bins (2 ms each) with 4 position bins, its stored result read in windows from a generator (no
// store, no decode: nothing else grows with the span), each case in a fresh process:
//   node --expose-gc packages/pipelines/scripts/decode-nwb-memory.mjs <bins> [repo root]
// With --expose-gc each read collects the garbage first, so the peak is what the writing holds,
// not how much garbage the collector let pile up (which varies from run to run by ~100 MB).
// [repo root] (default: this checkout) picks the build whose dist/ is measured, e.g. main's.
import { fileURLToPath } from 'node:url';

const [binsArg, rootArg] = process.argv.slice(2);
const root = rootArg ?? fileURLToPath(new URL('../../..', import.meta.url));
const bins = Number(binsArg);
if (!(Number.isInteger(bins) && bins > 0)) throw new Error('usage: decode-nwb-memory.mjs <time bins> [repo root]');
const { decodeStep } = await import(`${root}/packages/pipelines/dist/index.js`);

const positionBins = 4;
const shapes = {
  time: { dtype: '<f8', shape: [bins] },
  map: { dtype: '<f8', shape: [bins, 1] },
  mean: { dtype: '<f8', shape: [bins, 1] },
  positionPosterior: { dtype: '<f4', shape: [bins, positionBins] },
  statePosterior: { dtype: '<f8', shape: [bins, 1] },
};
/** Rows [a, b) of a stored array, made on the fly (a decode's result on disk, read in windows). */
function read(name, a = 0, b = bins) {
  globalThis.gc?.();
  const cols = shapes[name].shape[1] ?? 1;
  const out = new (name === 'positionPosterior' ? Float32Array : Float64Array)((b - a) * cols);
  for (let i = a; i < b; i++)
    for (let c = 0; c < cols; c++)
      out[(i - a) * cols + c] =
        name === 'time'
          ? 100 + i * 0.002
          : name === 'statePosterior'
            ? 1
            : name === 'positionPosterior'
              ? 0.25
              : (i % 5000) / 50;
  return Promise.resolve(out);
}
const data = {
  arrays: {
    binCenters: { data: Float64Array.from({ length: positionBins }, (_, b) => 1 + 2 * b), shape: [positionBins, 1] },
    isInterior: { data: new Uint8Array(positionBins).fill(1), shape: [positionBins] },
  },
  json: {
    session: { identifier: 'sim', sessionDescription: 'simulated', sessionStartTime: '2026-01-01T00:00:00+00:00' },
    columns: [0],
    stateNames: ['continuous'],
    placeBinSize: 2,
  },
};
const stored = { provenance: {}, json: data.json, arrays: shapes, read };

const cpu0 = process.cpuUsage();
const out = await decodeStep.analysisFile.write(data, { key: 'k' }, stored);
let bytes = 0;
for await (const slice of out) bytes += slice.length;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    bins,
    fileMB: +(bytes / 2 ** 20).toFixed(1),
    peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
    cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2),
  }),
);
