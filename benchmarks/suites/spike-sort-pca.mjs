// PCA kernels of spike-sort, Wasm (SIMD) against their TypeScript references in the same run:
// the covariance fitPca accumulates (3000 tetrode waveforms of 90 samples x 4 channels) and the
// projection of every detection onto 8 components (200 000 waveforms), one step of the subspace
// iteration's product (cov · v, 8 vectors) and the whole fitPca on spike-like data (two strong
// axes over noise).
import { covariance, fitPca, projectPca, spikeSortKernels } from '@spyglass-wasm/spike-sort';
import {
  covarianceReference,
  covarianceTimesReference,
  fitPcaReference,
  projectPcaReference,
} from '@spyglass-wasm/spike-sort/reference';
import { createRng } from '@spyglass-wasm/sim';
import { timeIt, versus } from '../lib/harness.mjs';

export const name = 'spike-sort-pca';

export async function run() {
  const d = 360,
    rng = createRng(1);
  const fit = Float32Array.from({ length: 3000 * d }, () => 40 * rng.normal());
  const mean = new Float64Array(d);
  for (let i = 0; i < 3000; i++) for (let j = 0; j < d; j++) mean[j] += fit[i * d + j] / 3000;
  const n = 200_000;
  const all = Float32Array.from({ length: n * d }, () => 40 * rng.normal());
  const Fit = { data: fit, rows: 3000, cols: d },
    All = { data: all, rows: n, cols: d };
  const pca = fitPca(Fit, { components: 8, seed: 1 });
  const spiky = new Float32Array(3000 * d);
  for (let i = 0; i < 3000; i++) {
    const a = 50 * rng.normal(),
      b = 30 * rng.normal();
    for (let j = 0; j < d; j++) spiky[i * d + j] = a * Math.sin(j / 9) + b * Math.cos(j / 13) + 10 * rng.normal();
  }
  const Spiky = { data: spiky, rows: 3000, cols: d };
  const cov = covarianceReference(Fit, mean),
    v = Float64Array.from({ length: 8 * d }, () => rng.normal());
  const { exports, heap } = spikeSortKernels.get();
  const powerStep = () =>
    heap.scoped(() => {
      const pW = heap.alloc(8 * d * 8);
      exports.covarianceTimes(heap.put(cov), d, heap.put(v), 8, pW);
      return heap.f64(pW, 8 * d).slice();
    });
  const row = (kernel, wasm, reference) => ({
    kernel,
    'wasm s': wasm,
    'typescript s': reference,
    speedup: reference / wasm,
  });
  const kernels = [
    row(
      'covariance, 3000 x 360',
      await timeIt(() => covariance(Fit, mean)),
      await timeIt(() => covarianceReference(Fit, mean), { repeat: 1 }),
    ),
    row(
      'projection, 200k x 360 -> 8',
      await timeIt(() => projectPca(pca, All)),
      await timeIt(() => projectPcaReference(pca, All), { repeat: 1 }),
    ),
    row(
      'iteration product cov . v, 360 x 360, k 8',
      await timeIt(powerStep, { repeat: 21 }),
      await timeIt(() => covarianceTimesReference(cov, d, v, 8), { repeat: 21 }),
    ),
    row(
      'fitPca, 3000 x 360 -> 8',
      await timeIt(() => fitPca(Spiky, { components: 8, seed: 1 })),
      await timeIt(() => fitPcaReference(Spiky, { components: 8, seed: 1 }), { repeat: 1 }),
    ),
  ];
  return {
    summary: kernels.map((k) => versus(`PCA ${k.kernel}`, k['wasm s'], 'TypeScript reference', k['typescript s'])),
    tables: [
      {
        title: 'PCA kernels, Wasm vs TypeScript reference',
        rows: kernels,
      },
    ],
  };
}
