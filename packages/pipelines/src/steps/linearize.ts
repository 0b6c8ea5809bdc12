import { ParameterError, maxOf } from '@spyglass-wasm/core';
import { codeHash as decodingCode, linearize } from '@spyglass-wasm/decoding';
import decodingPackage from '@spyglass-wasm/decoding/package.json';
import type { Step } from '@spyglass-wasm/provenance';
import { analysisNwb } from '../nwb/analysis-file.js';
import { withSession } from '../session/session.js';
import * as v from 'valibot';
import { stepCode } from './code.js';
import { flag, interval, list, stepParams } from './params.js';
import { stepIntervals } from './interval.js';
import { positionOf } from './position.js';

/**
 * Track-graph linearization of the position step's position (Spyglass's LinearizedPositionV1):
 * the user gives the graph (`nodes` in cm, `edges`, optional `edgeOrder`, `edgeSpacing`,
 * `useHmm`); each sample is projected onto the nearest edge (or the HMM's path) and laid out along
 * the track. Position comes from a `position` result, else the position step's default recipe on
 * the session's tracking; only the samples within `interval` when given.
 */
export const linearizeStep: Step = {
  name: 'linearize',
  description: 'Linear position along a user-given track graph',
  code: stepCode(decodingPackage, [], { [decodingPackage.name]: decodingCode }),
  inputs: ['session'],
  optionalInputs: ['position'],
  ...stepParams('linearize', {
    nodes: list(
      v.tuple([v.pipe(v.number(), v.finite()), v.pipe(v.number(), v.finite())]),
      'track-graph nodes: a list of [x, y] cm',
    ),
    edges: list(
      v.tuple([v.pipe(v.number(), v.integer(), v.minValue(0)), v.pipe(v.number(), v.integer(), v.minValue(0))]),
      'track-graph edges: a list of [node, node] indices',
    ),
    edgeOrder: list(v.pipe(v.number(), v.integer(), v.minValue(0)), 'a list of edge indices'),
    edgeSpacing: {
      schema: v.union([
        v.pipe(v.number(), v.finite(), v.minValue(0)),
        v.array(v.pipe(v.number(), v.finite(), v.minValue(0))),
      ]),
      expected: 'a gap (cm) >= 0, or one per pair of edges',
    },
    useHmm: flag(),
    interval: interval(),
  }),
  async run({ session, position }, params) {
    const nodes = params.nodes as [number, number][] | undefined;
    const edges = params.edges as [number, number][] | undefined;
    if (!nodes?.length || !edges?.length)
      throw new ParameterError('nodes/edges', 'a track graph: nodes (cm) and edges', params.nodes);
    const intervals = await stepIntervals(params.interval, { session });
    // smoothed, cleaned position (x, y cm) from the position step, never the raw tracking
    const pos = await positionOf(position ?? session, position ? 'position' : 'session', intervals);
    const { info, source } =
      position?.kind === 'result'
        ? { info: position.data.json.session, source: `the position result ${position.key}` }
        : await withSession(session, 'session', (s) => ({ info: s.info, source: s.positionSeries().path }));
    const r = linearize(
      pos.position,
      { nodes, edges },
      {
        edgeOrder: params.edgeOrder as number[] | undefined,
        edgeSpacing: params.edgeSpacing as number | undefined,
        useHmm: params.useHmm as boolean | undefined,
      },
    );
    const interval = params.interval != null ? { interval: params.interval } : {};
    return {
      arrays: {
        time: { data: pos.times, shape: [pos.times.length] },
        linearPosition: { data: r.linearPosition, shape: [r.linearPosition.length] },
        segment: { data: Int32Array.from(r.segment), shape: [r.segment.length] },
      },
      json: { session: info, source, ...interval, nodes, edges },
      summary: {
        samples: r.linearPosition.length,
        length: maxOf(r.linearPosition),
        ...interval,
      },
    };
  },
  analysisFile: analysisNwb('linearize', (d, w) => {
    const timestamps = Float64Array.from(d.arrays.time.data);
    const column = (data: ArrayLike<number>) => ({ data: Float64Array.from(data), rows: data.length, cols: 1 });
    w.addTimeSeries({
      name: 'linear_position',
      module: 'behavior',
      container: 'BehavioralTimeSeries',
      unit: 'cm',
      timestamps,
      data: column(d.arrays.linearPosition.data),
      description: `position along the track graph, from the position step's position of ${d.json.source}`,
    });
    w.addTimeSeries({
      name: 'track_segment',
      module: 'behavior',
      container: 'BehavioralTimeSeries',
      unit: 'n/a',
      timestamps,
      data: column(d.arrays.segment.data),
      description: 'index of the track graph edge the animal is on',
    });
  }),
};
