import { raggedFrom, type WorkerPool } from '@spyglass-wasm/core';
import { codeHash as dspCode, dspKernels } from '@spyglass-wasm/dsp-wasm';
import dspPackage from '@spyglass-wasm/dsp-wasm/package.json';
import type { Step, StepContext, StepInput, StepOutput } from '@spyglass-wasm/provenance';
import {
  DEFAULT_CURATION_RULES,
  autoCurate,
  codeHash as sortCode,
  createSortPool,
  labelCollisions,
  mergeCandidates,
  spikeSortKernels,
  startCuration,
  type MergeReason,
  type SortWorkerApi,
} from '@spyglass-wasm/spike-sort';
import sortPackage from '@spyglass-wasm/spike-sort/package.json';
import { analysisNwb } from '../nwb/analysis-file.js';
import { writeUnitsNwb } from '../nwb/units.js';
import { withSession } from '../session/session.js';
import { sortNwb, type FileSorting, type SortNwbOptions } from '../sort/sort-nwb.js';
import { band, interval, name, nullable, number, stepParams } from './params.js';
import { stepCode } from './code.js';
import { oneInterval } from './decode.js';

/**
 * Spike sorting as Spyglass's SpikeSortingV1 with its defaults for tetrodes: each electrode
 * group on its own, 600–6000 Hz, threshold detection, clustering, quality metrics
 * (`sortNwb`). Spike times are in the session's time base, stored as
 * `spikeTimes` + `spikeTimesIndex` (NWB's ragged layout) for `decode`.
 */
export const sortStep: Step = {
  name: 'sort',
  description: 'Spike sorting per electrode group (band-pass, detection, clustering, quality metrics)',
  code: stepCode(sortPackage, [dspKernels, spikeSortKernels], {
    [sortPackage.name]: sortCode,
    [dspPackage.name]: dspCode,
  }),
  inputs: ['raw'],
  // Spyglass's tetrode band; threshold 4 MAD as spike-sort measured (Spyglass's 5 loses spikes of SNR 5-6 units)
  ...stepParams('sort', {
    band: band([600, 6000]),
    threshold: number({ min: 1, max: 100 }, 4),
    group: nullable(name('an electrode group')),
    series: nullable(name('a continuous ElectricalSeries')),
    interval: interval(),
    // most detections clustered per group (spike-sort's default 6000 when absent, so default keys stay as they were)
    learnSpikes: number({ min: 100, max: 1e9, integer: true }),
  }),
  async run({ raw }, params, ctx) {
    // groups sorted in memory go to min(threads, groups) workers (same result as one thread)
    const threads = ctx.threads ?? 1;
    let pool: WorkerPool<SortWorkerApi> | undefined;
    const openPool =
      threads > 1
        ? async (groups: number) =>
            groups > 1 ? (pool = await createSortPool({ size: Math.min(threads, groups) })) : undefined
        : undefined;
    try {
      return await sortSession(raw, params, ctx, openPool);
    } finally {
      await pool?.terminate();
    }
  },
  analysisFile: analysisNwb('sort', (d, w) => {
    const units = d.json.units as { label?: string; mergeWith?: number[] }[];
    writeUnitsNwb(d, w, {
      curation_label: {
        values: units.map((u) => u.label ?? 'unlabelled'),
        description: 'metric curation label (accept, mua, noise), by the rules in the provenance record',
      },
      merge_candidates: {
        values: units.map((u) => (u.mergeWith ?? []).join(',')),
        description:
          'rows of units that look like the same neuron (template similarity >= 0.9 and a refractory dip in the cross-correlogram, or a pair auto-merge left apart)',
      },
    });
  }),
};

function sortSession(
  raw: StepInput,
  params: Record<string, unknown>,
  ctx: StepContext,
  openPool: SortNwbOptions['openPool'],
): Promise<StepOutput> {
  return withSession(raw, 'raw', async (session) => {
    const nwb = session.nwb;
    // an interval: its rows only (one span; artifacts inside it are blanked by the front end)
    const span =
      params.interval == null ? undefined : oneInterval(session.interval(params.interval as string), 'interval');
    const rows = span && session.rowsWithin(session.rawSeries(params.series as string | null), span[0], span[1]);
    const sorting = await sortNwb(nwb, {
      rows,
      group: (params.group as string | null) ?? undefined,
      series: (params.series as string | null) ?? undefined,
      band: params.band as [number, number],
      threshold: params.threshold as number,
      learnSpikes: params.learnSpikes as number | undefined,
      onProgress: (f) => ctx.onProgress?.(f),
      openPool,
    });
    const { values: spikeTimes, ends: spikeTimesIndex } = raggedFrom(sorting.units.map((u) => u.spikeTimes));
    const electrodes = nwb.electrodes();
    // metric curation labels travel with the sort (Spyglass's MetricCuration defaults), so a user
    // sees which units to keep; the curate step can relabel with other rules
    const grouped = sorting.groups.flatMap((g) => g.sorting.units);
    // and clusters of two units' synchronous spikes (collisions) are noise whatever their metrics
    const { labels } = labelCollisions(
      autoCurate(
        startCuration(sorting.units.map((u) => u.spikeTimes)),
        sorting.units.map((u) => u.metrics),
      ),
      grouped,
    );
    const count = (l: string) => labels.filter((x) => x === l).length;
    // over-split units (one neuron in two): near-identical templates with a refractory dip between them
    const mergeWith: number[][] = sorting.units.map(() => []);
    let first = 0;
    for (const g of sorting.groups) {
      const units = g.sorting.units;
      for (const c of mergeCandidates(
        units.map((u) => u.template),
        units.map((_, i) => sorting.units[first + i].spikeTimes),
        { duration: sorting.duration },
      )) {
        mergeWith[first + c.a].push(first + c.b);
        mergeWith[first + c.b].push(first + c.a);
      }
      first += units.length;
    }
    const merges = mergeRecords(sorting.groups, mergeWith);
    const len = sorting.units[0]?.waveform.length ?? 0;
    const waveforms = new Float32Array(sorting.units.length * len);
    sorting.units.forEach((u, i) => waveforms.set(u.waveform, i * len));
    const amplitudes = Float32Array.from(raggedFrom(sorting.units.map((u) => u.amplitudes)).values);
    return {
      arrays: {
        spikeTimes: { data: spikeTimes, shape: [spikeTimes.length] },
        spikeTimesIndex: { data: spikeTimesIndex, shape: [spikeTimesIndex.length] },
        // µV at each spike's peak on its unit's peak channel, aligned with spikeTimes (curate splits by it)
        spikeAmplitudes: { data: amplitudes, shape: [amplitudes.length] },
        waveformMean: { data: waveforms, shape: [sorting.units.length, len] },
        waveformMeanChannels: channelWaveforms(sorting.units, sorting.groups, len),
      },
      json: {
        session: session.info,
        series: sorting.series,
        fs: sorting.fs,
        electrodeGroups: electrodes?.groupNames ?? [],
        electrodeIds: electrodes ? Array.from(electrodes.ids) : [],
        electrodeLocations: electrodes?.locations ?? [],
        groups: sorting.groups.map((g) => ({
          name: g.name,
          channels: g.channels,
          detections: g.sorting.peaks.length,
          units: g.sorting.units.length,
        })),
        units: sorting.units.map((u, i) => ({
          group: u.group,
          peakChannel: u.peakChannel,
          metrics: u.metrics,
          label: labels[i],
          mergeWith: mergeWith[i],
          // the group's units before autoMerge this one joins (one neuron split in several)
          ...(merges.from[i].length > 1 ? { mergedFrom: merges.from[i] } : {}),
          // rows (in the group, as sorted) of the two units this one is the synchronous spikes of
          ...(grouped[i].collisionOf ? { collisionOf: grouped[i].collisionOf } : {}),
        })),
        curationRules: DEFAULT_CURATION_RULES,
        // per group: the pairs autoMerge merged and the candidates it left apart, with the evidence and why
        merges: merges.groups,
      },
      summary: {
        units: sorting.units.length,
        accept: count('accept'),
        mua: count('mua'),
        noise: count('noise'),
        mergeCandidates: mergeWith.reduce((n, m) => n + m.length, 0) / 2,
        // units joined into others by autoMerge before output
        merged: merges.groups.reduce((n, g) => n + g.merged.length, 0),
        // noise units that are two others' synchronous spikes (already counted in noise)
        collisions: grouped.filter((u) => u.collisionOf).length,
        spikes: spikeTimes.length,
        groups: sorting.groups.length,
      },
    };
  });
}

/** autoMerge's refusals of pairs that passed on their own evidence: worth a user's look. */
const REFUSED = new Set<MergeReason>(['merged contamination', 'amplitude modes']);

/**
 * What autoMerge did in each group (`GroupSorting.merges`, in the group's unit numbers before
 * merging): each output unit's parts, the merged pairs and the candidates left apart with why. A
 * candidate whose pair passed but whose merge was refused (the joined unit contaminated, or two
 * amplitude modes) adds its two output rows to each other's `mergeWith`; pairs without a
 * refractory dip (or with too few spikes to see one) are most often two neurons.
 */
function mergeRecords(groups: FileSorting['groups'], mergeWith: number[][]) {
  const from: number[][] = [];
  const records = groups.map((g) => {
    const first = from.length;
    const parents = g.sorting.merges?.parents ?? g.sorting.units.map((_, i) => [i]);
    from.push(...parents);
    // output row of each unit before merging
    const row = new Map(parents.flatMap((p, i) => p.map((u) => [u, first + i] as const)));
    const candidates = (g.sorting.merges?.candidates ?? []).map((c) => ({
      ...c,
      rows: [row.get(c.a)!, row.get(c.b)!] as const,
    }));
    for (const { rows, reason } of candidates) {
      const [a, b] = rows;
      if (REFUSED.has(reason) && a !== b && !mergeWith[a].includes(b)) (mergeWith[a].push(b), mergeWith[b].push(a));
    }
    return { group: g.name, merged: g.sorting.merges?.pairs ?? [], candidates };
  });
  return { from, groups: records };
}

/**
 * Each unit's mean waveform on every channel of its group, units × samples × channels (µV): NWB's
 * 3-D waveform_mean. Groups with fewer channels than the largest are padded with NaN.
 */
function channelWaveforms(units: FileSorting['units'], groups: FileSorting['groups'], len: number) {
  // a unit's template spans its whole group (a probe's too: sortNwb lays it on every channel)
  const width = (u: FileSorting['units'][number]) => (len ? u.template.length / len : 0);
  const channels = Math.max(0, ...groups.map((g) => g.channels.length), ...units.map(width));
  const data = new Float32Array(units.length * len * channels).fill(Number.NaN);
  units.forEach((u, i) => {
    const c = width(u);
    for (let s = 0; s < len; s++)
      for (let k = 0; k < c; k++) data[(i * len + s) * channels + k] = u.template[s * c + k];
  });
  return { data, shape: [units.length, len, channels] };
}
