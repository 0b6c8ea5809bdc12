// PCA kernels of spike-sort, Wasm (SIMD) against their TypeScript references in the same run:
// the covariance fitPca accumulates (3000 tetrode waveforms of 90 samples x 4 channels) and the
// projection of every detection onto 8 components (200 000 waveforms).
import { covariance, covarianceReference, fitPca, projectPca, projectPcaReference } from '@spyglass-wasm/spike-sort';
import { createRng } from '@spyglass-wasm/sim';
import { timeIt } from '../lib/harness.mjs';

export const name = 'spike-sort-pca';

export async function run() {
  const d = 360, rng = createRng(1);
  const fit = Float32Array.from({ length: 3000 * d }, () => 40 * rng.normal());
  const mean = new Float64Array(d);
  for (let i = 0; i < 3000; i++) for (let j = 0; j < d; j++) mean[j] += fit[i * d + j] / 3000;
  const n = 200_000;
  const all = Float32Array.from({ length: n * d }, () => 40 * rng.normal());
  const pca = fitPca(fit, 3000, d, 8, 1);
  const row = (kernel, wasm, reference) => ({ kernel, 'wasm s': wasm, 'typescript s': reference, speedup: reference / wasm });
  return {
    tables: [
      {
        title: 'PCA kernels, Wasm vs TypeScript reference',
        rows: [
          row('covariance, 3000 x 360', await timeIt(() => covariance(fit, 3000, d, mean)), await timeIt(() => covarianceReference(fit, 3000, d, mean), { repeat: 1 })),
          row('projection, 200k x 360 -> 8', await timeIt(() => projectPca(pca, all, n)), await timeIt(() => projectPcaReference(pca, all, n), { repeat: 1 })),
        ],
      },
    ],
  };
}
