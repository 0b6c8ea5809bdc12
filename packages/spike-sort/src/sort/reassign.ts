import { maxOf } from '@spyglass-wasm/core';
import { spikeSortKernels } from '../wasm/kernels.js';

/**
 * Template matching: each spike goes to the cluster whose mean waveform it matches best (least
 * squares in the whitened waveform space, where noise is the same in every direction), repeated
 * until stable. With `noiseClass`, the zero waveform competes too: a threshold crossing better
 * explained by noise alone is labelled −1 and leaves every unit. Recovers spikes the clustering's
 * cuts put on the wrong side and sheds the noise crossings a low threshold lets in.
 */
export function reassignToTemplates(
  snippets: { data: Float32Array; length: number; channels: number },
  labels: Int32Array,
  options: { iterations?: number; noiseClass?: boolean } = {},
): Int32Array {
  const iterations = options.iterations ?? 5;
  const dim = snippets.length * snippets.channels;
  const n = labels.length;
  if (n === 0) return labels;
  let current = labels.slice();
  // the distances (n · k · dim per round) run in Wasm, the snippets copied in once
  const { exports: kernels, heap } = spikeSortKernels.get();
  return heap.scoped(() => {
    const pX = heap.put(snippets.data.subarray(0, n * dim)),
      pCurrent = heap.alloc(n * 4),
      pNext = heap.alloc(n * 4);
    for (let it = 0; it < iterations; it++) {
      const k = maxOf(current, -1) + 1;
      const { templates, counts } = meanWaveforms(snippets.data, current, k, dim);
      const changed = heap.scoped(() => {
        const pTemplates = heap.put(templates),
          pCounts = heap.put(counts);
        heap.i32(pCurrent, n).set(current);
        return kernels.reassignRows(pX, n, dim, pTemplates, k, pCounts, options.noiseClass ? 1 : 0, pCurrent, pNext);
      });
      current = heap.i32(pNext, n).slice();
      if (changed === 0) break;
    }
    return current;
  });
}

/** The mean waveform of each label 0..k−1 (float64, rows summed in order) and its count. */
function meanWaveforms(data: Float32Array, labels: Int32Array, k: number, dim: number) {
  const templates = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) continue;
    counts[labels[i]]++;
    for (let j = 0; j < dim; j++) templates[labels[i] * dim + j] += data[i * dim + j];
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < dim; j++) templates[c * dim + j] /= counts[c] || 1;
  return { templates, counts };
}
