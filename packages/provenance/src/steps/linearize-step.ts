import { ParameterError } from '@spyglass-wasm/core';
import { linearize } from '@spyglass-wasm/decoding';
import decodingPackage from '@spyglass-wasm/decoding/package.json';
import type { Step } from '../step.js';
import { sessionOf, withNwb } from './session-io.js';
import { codeHash as decodingCode } from '@spyglass-wasm/decoding';
import { stepCode } from './code.js';

/**
 * Track-graph linearization of the session's position (Spyglass's LinearizedPositionV1): the
 * user gives the graph (`nodes` in cm, `edges`, optional `edgeOrder`, `edgeSpacing`, `useHmm`);
 * each sample is projected onto the nearest edge (or the HMM's path) and laid out along the track.
 */
export const linearizeStep: Step = {
  name: 'linearize',
  description: 'Linear position along a user-given track graph',
  code: stepCode(decodingPackage, [], { [decodingPackage.name]: decodingCode }),
  inputs: ['session'],
  async run({ session }, params) {
    const nodes = params.nodes as [number, number][] | undefined;
    const edges = params.edges as [number, number][] | undefined;
    if (!nodes?.length || !edges?.length) throw new ParameterError('nodes/edges', 'a track graph: nodes (cm) and edges', params.nodes);
    return withNwb(session, 'session', (nwb) => {
      const pos = nwb.position().find((s) => /position/i.test(s.name)) ?? nwb.position()[0];
      if (!pos) throw new ParameterError('session', 'a file with a SpatialSeries', nwb.name);
      const scale = /^m/.test(pos.unit) ? 100 : 1;
      const xy = { data: Float64Array.from({ length: pos.data.rows * 2 }, (_, i) => (pos.data.data[Math.floor(i / 2) * pos.data.cols + ((i % 2) % pos.data.cols)] ?? 0) * scale), rows: pos.data.rows, cols: 2 };
      const r = linearize(xy, { nodes, edges }, { edgeOrder: params.edgeOrder as number[] | undefined, edgeSpacing: params.edgeSpacing as number | undefined, useHmm: params.useHmm as boolean | undefined });
      return {
        arrays: {
          time: { data: pos.timestamps, shape: [pos.timestamps.length] },
          linearPosition: { data: r.linearPosition, shape: [r.linearPosition.length] },
          segment: { data: Int32Array.from(r.segment), shape: [r.segment.length] },
        },
        json: { session: sessionOf(nwb), source: pos.path, nodes, edges },
        summary: { samples: r.linearPosition.length, length: Math.max(...r.linearPosition) },
      };
    });
  },
  writeNwb(d, w) {
    const timestamps = Float64Array.from(d.arrays.time.data);
    const column = (data: ArrayLike<number>) => ({ data: Float64Array.from(data), rows: data.length, cols: 1 });
    w.addTimeSeries({
      name: 'linear_position', module: 'behavior', container: 'BehavioralTimeSeries', unit: 'cm', timestamps,
      data: column(d.arrays.linearPosition.data), description: `position along the track graph, from ${d.json.source}`,
    });
    w.addTimeSeries({
      name: 'track_segment', module: 'behavior', container: 'BehavioralTimeSeries', unit: 'n/a', timestamps,
      data: column(d.arrays.segment.data), description: 'index of the track graph edge the animal is on',
    });
  },
};
