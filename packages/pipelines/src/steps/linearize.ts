import { ParameterError } from '@spyglass-wasm/core';
import { codeHash as decodingCode, linearize } from '@spyglass-wasm/decoding';
import decodingPackage from '@spyglass-wasm/decoding/package.json';
import type { Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { withSession } from '../session/session.js';
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
  paramSets: { default: {} },
  optionalParams: ['nodes', 'edges', 'edgeOrder', 'edgeSpacing', 'useHmm'],
  async run({ session }, params) {
    const nodes = params.nodes as [number, number][] | undefined;
    const edges = params.edges as [number, number][] | undefined;
    if (!nodes?.length || !edges?.length) throw new ParameterError('nodes/edges', 'a track graph: nodes (cm) and edges', params.nodes);
    return withSession(session, 'session', (s) => {
      const { series: pos, cm } = s.positionCm();
      // x and y (a 1-D series is x with y = 0)
      const xy = { data: Float64Array.from({ length: cm.rows * 2 }, (_, i) => (i % 2 < cm.cols ? cm.data[Math.floor(i / 2) * cm.cols + (i % 2)] : 0)), rows: cm.rows, cols: 2 };
      const r = linearize(xy, { nodes, edges }, { edgeOrder: params.edgeOrder as number[] | undefined, edgeSpacing: params.edgeSpacing as number | undefined, useHmm: params.useHmm as boolean | undefined });
      return {
        arrays: {
          time: { data: pos.timestamps, shape: [pos.timestamps.length] },
          linearPosition: { data: r.linearPosition, shape: [r.linearPosition.length] },
          segment: { data: Int32Array.from(r.segment), shape: [r.segment.length] },
        },
        json: { session: s.info, source: pos.path, nodes, edges },
        summary: { samples: r.linearPosition.length, length: Math.max(...r.linearPosition) },
      };
    });
  },
  analysisFile: analysisNwb('linearize', (d, w) => {
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
  }),
};
