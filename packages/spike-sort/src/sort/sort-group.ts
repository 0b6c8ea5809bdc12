import { checkNumber, type Matrix } from '@spyglass-wasm/core';
import { butter, madNoiseLevel, sosfiltfilt, whiten } from '@spyglass-wasm/dsp-wasm';
import { isosplit } from '../cluster/isosplit.js';
import { detectPeaks, type Peak } from '../detect/detect-peaks.js';
import { fitPca, projectPca } from '../features/pca.js';
import { extractSnippets } from '../features/snippets.js';
import { mergeShiftedTemplates } from './merge-templates.js';
import { reassignToTemplates } from './reassign.js';
import { dropEchoes } from './drop-echoes.js';

export interface SortGroupOptions {
  /** Sampling rate, Hz. */
  fs: number;
  /** Bandpass, Hz (default 600–6000, tetrodes; 300–6000 for probes). */
  band?: readonly [number, number];
  /**
   * Detection threshold in MAD noise units. Default 4, below Spyglass's and MountainSort's 5: at 5
   * a unit with SNR 5–6 loses a third of its spikes to the noise, at 4 it keeps them, and the
   * clustering sets aside the extra noise crossings.
   */
  threshold?: number;
  /** Samples zeroed around any sample beyond this many µV on any channel (default 3000 µV, 1 ms). */
  artifactThreshold?: number;
  /** Principal components per group (default 8). */
  components?: number;
  seed?: number;
  /** Data is already band-passed. */
  filtered?: boolean;
  /** Whiten the group (ZCA) before extracting waveforms for clustering (default true). */
  whiten?: boolean;
}

/** One sorted unit of a group. */
export interface SortedUnit {
  /** Spike times in samples from the start of the data, sub-sample precision. */
  samples: Float64Array;
  /** Mean waveform (length × channels, µV) and the channel where it is largest. */
  template: Float32Array;
  peakChannel: number;
  /** Peak amplitude of the template over the noise level of its channel. */
  snr: number;
}

export interface GroupSorting {
  units: SortedUnit[];
  /** Every detection with its unit label (−1: a noise crossing), for metrics and clusterless marks. */
  peaks: Peak[];
  labels: Int32Array;
  features: Float32Array;
  components: number;
  noise: Float64Array;
  snippetLength: number;
  channels: number;
}

/**
 * Sorts one electrode group (a tetrode or a probe shank), µV (time × channels): bandpass,
 * artifact blanking, threshold detection with sub-sample peak alignment, PCA, isosplit-style
 * clustering, then merging of clusters whose templates differ only by a shift.
 */
export function sortGroup(raw: Matrix<Float32Array>, options: SortGroupOptions): GroupSorting {
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const [lo, hi] = options.band ?? [600, 6000];
  const x = options.filtered ? raw : sosfiltfilt(butter(5, [lo, Math.min(hi, 0.45 * fs)], { btype: 'bandpass', fs }), raw);
  blankArtifacts(x, options.artifactThreshold ?? 3000, Math.round(fs / 1000));
  const noise = madNoiseLevel(x);
  const before = Math.round(fs / 1000), after = Math.round((2 * fs) / 1000);
  const peaks = detectPeaks(x, { noise, threshold: options.threshold ?? 4, sweep: Math.round(fs / 2000), margin: after + 2 });
  // Detection runs on the filtered data in MAD units; clustering on whitened waveforms, where
  // noise shared across channels is gone and every direction has the same noise.
  const snippets = extractSnippets(options.whiten === false ? x : whiten(x).y, peaks, { before, after });
  const waveforms = options.whiten === false ? snippets : extractSnippets(x, peaks, { before, after }); // µV, for templates
  const d = snippets.length * snippets.channels;
  const k = Math.min(options.components ?? 8, d);
  // The axes come from at most 3000 spikes (evenly spaced): the covariance costs n·d².
  const step = Math.max(1, Math.ceil(peaks.length / 3000));
  const sample = step === 1 ? snippets.data : Float32Array.from({ length: Math.ceil(peaks.length / step) * d }, (_, i) => snippets.data[Math.floor(i / d) * step * d + (i % d)]);
  const pca = fitPca(sample, sample.length / d, d, k, options.seed ?? 1);
  const features = projectPca(pca, snippets.data, peaks.length);
  let labels = isosplit(features, peaks.length, k, { seed: options.seed ?? 1, testSpace: { data: snippets.data, dim: d } });
  labels = mergeShiftedTemplates(snippets, labels, { maxShift: Math.max(1, Math.round(fs / 10000)) });
  labels = reassignToTemplates(snippets, labels, { noiseClass: options.whiten !== false });
  labels = dropEchoes(peaks.map((p) => p.time), peaks.map((p) => p.z), labels, { window: Math.round(fs * 0.002), tolerance: Math.round(fs * 0.00025) });
  // Units left with no spikes disappear; −1 (noise) stays −1.
  const used = [...new Set(labels)].filter((l) => l >= 0).sort((a, b) => a - b);
  const renumber = new Map(used.map((l, i) => [l, i]));
  labels = labels.map((l) => (l < 0 ? -1 : renumber.get(l)!));
  const nUnits = used.length;
  const units: SortedUnit[] = [];
  for (let u = 0; u < nUnits; u++) {
    const members: number[] = [];
    labels.forEach((l, i) => l === u && members.push(i));
    const template = new Float32Array(snippets.length * snippets.channels);
    for (const i of members) for (let j = 0; j < template.length; j++) template[j] += waveforms.data[i * template.length + j] / members.length;
    let peakChannel = 0, amp = 0;
    for (let s = 0; s < snippets.length; s++)
      for (let c = 0; c < snippets.channels; c++) {
        const v = Math.abs(template[s * snippets.channels + c]);
        if (v > amp) {
          amp = v;
          peakChannel = c;
        }
      }
    units.push({
      samples: Float64Array.from(members, (i) => peaks[i].time).sort(),
      template,
      peakChannel,
      snr: amp / noise[peakChannel],
    });
  }
  return { units, peaks, labels, features, components: k, noise, snippetLength: snippets.length, channels: snippets.channels };
}

/** Zeroes ±half samples around every sample beyond `threshold` on any channel, in place. */
function blankArtifacts(x: Matrix<Float32Array | Float64Array>, threshold: number, half: number): void {
  const { data, rows, cols } = x;
  let blankUntil = -1;
  const hits: number[] = [];
  for (let t = 0; t < rows; t++)
    for (let c = 0; c < cols; c++)
      if (Math.abs(data[t * cols + c]) > threshold) {
        hits.push(t);
        break;
      }
  for (const t of hits) {
    const from = Math.max(t - half, blankUntil + 1);
    const to = Math.min(rows - 1, t + half);
    if (to >= from) data.fill(0, from * cols, (to + 1) * cols);
    blankUntil = Math.max(blankUntil, to);
  }
}
