import { openNwb, type NwbFile } from '@spyglass-wasm/nwb-io';
import { checkInputFile, resolvePath } from '../lib/paths.js';
import type { Command } from '../lib/command.js';
import { printJson } from '../lib/output.js';
import { fileArgument, STORE_OPTIONS } from '../lib/step-command.js';

/** What `spyglass info` reports about a file. */
function describeFile(nwb: NwbFile) {
  const electrodes = nwb.electrodes();
  const units = nwb.units();
  return {
    file: nwb.name,
    session: {
      identifier: nwb.metadata.identifier,
      description: nwb.metadata.sessionDescription,
      startTime: nwb.metadata.sessionStartTime,
      nwbVersion: nwb.metadata.nwbVersion,
      subject: nwb.metadata.subject ?? null,
    },
    electrodes: electrodes ? { count: electrodes.ids.length, groups: [...new Set(electrodes.groupNames)] } : null,
    electricalSeries: nwb.electricalSeries().map((s) => ({
      path: s.path,
      shape: s.shape,
      dtype: s.dtype,
      unit: s.unit,
      ...(s.timing.kind === 'rate'
        ? { rate: s.timing.rate, startingTime: s.timing.startingTime }
        : { timestamps: [s.timing.start, s.timing.end], medianRate: s.timing.rate }),
      ...(s.timing.kind === 'timestamps' && s.timing.nonMonotonicAt !== undefined
        ? { nonMonotonicAt: s.timing.nonMonotonicAt }
        : {}),
      warnings: s.warnings,
    })),
    units: units
      ? { count: units.spikeTimes.length, spikes: units.spikeTimes.reduce((a, s) => a + s.length, 0) }
      : null,
    position: nwb.position().map((p) => ({
      path: p.path,
      samples: p.data.rows,
      dims: p.data.cols,
      unit: p.unit,
      range: [p.timestamps[0], p.timestamps[p.timestamps.length - 1]],
    })),
    intervals: nwb.intervals().map((t) => ({ path: t.path, count: t.intervals.length, names: intervalNames(t) })),
  };
}

export const info: Command = {
  name: 'info',
  summary: 'Describe an NWB file: session, electrodes, series, units, position, intervals',
  args: 'FILE',
  options: { json: STORE_OPTIONS.json },
  examples: ['spyglass info session.nwb', 'spyglass info day.nwb --json   # intervals with the names --interval takes'],
  async run({ values, positionals }, io) {
    const file = resolvePath(io.cwd, fileArgument(positionals));
    await checkInputFile(file);
    const nwb = await openNwb(file, { name: positionals[0] });
    try {
      const d = describeFile(nwb);
      if (values.json) {
        printJson(io, d);
        return 0;
      }
      const lines = [
        `${d.file}`,
        `  session     ${d.session.identifier} (${d.session.startTime}), NWB ${d.session.nwbVersion}`,
        `  electrodes  ${d.electrodes ? `${d.electrodes.count} in ${d.electrodes.groups.join(', ')}` : 'none'}`,
        ...d.electricalSeries.flatMap((s) => [
          `  series      ${s.path}  ${s.shape.join(' × ')} ${s.dtype} ${s.unit}  ${'rate' in s ? `${s.rate} Hz from ${s.startingTime} s` : `timestamps ${s.timestamps![0]}–${s.timestamps![1]} s`}`,
          ...s.warnings.map((w) => `  warning     ${w}`),
        ]),
        `  units       ${d.units ? `${d.units.count} (${d.units.spikes} spikes)` : 'none'}`,
        ...d.position.map((p) => `  position    ${p.path}  ${p.samples} × ${p.dims} ${p.unit}`),
        ...d.intervals.map(
          (t) =>
            `  intervals   ${t.path}  ${t.count}${t.names.length ? `  (${t.names.map((n) => `${n.name} ${n.start}–${n.stop} s`).join(', ')})` : ''}`,
        ),
      ];
      io.stdout.write(lines.join('\n') + '\n');
      return 0;
    } finally {
      nwb.close();
    }
  },
};

/** Rows of a TimeIntervals table by the names --interval takes (epoch tags), first tag of each row. */
function intervalNames(t: {
  intervals: readonly (readonly [number, number])[];
  columns: Record<string, { values: unknown }>;
}): { name: string; start: number; stop: number }[] {
  const tags = t.columns.tags?.values as unknown[] | undefined;
  if (!tags) return [];
  return t.intervals.flatMap(([start, stop], i) => {
    const name = ([] as unknown[]).concat(tags[i]).find((x): x is string => typeof x === 'string' && x.length > 0);
    return name ? [{ name, start, stop }] : [];
  });
}
