import { ParameterError, checkNumber, type Matrix, hypot, log } from '@spyglass-wasm/core';

/** A track as a graph: node coordinates (cm) and edges between node indices, walked from a to b. */
export interface TrackGraph {
  nodes: readonly (readonly [number, number])[];
  edges: readonly (readonly [number, number])[];
}

export interface LinearizeOptions {
  /** Order in which edges are laid end to end on the linear axis (default: as given). */
  edgeOrder?: readonly number[];
  /** Gap (cm) between consecutive edges on the linear axis: one number or one per gap (default 0). */
  edgeSpacing?: number | readonly number[];
  /** Pick segments with an HMM (Viterbi) so noisy samples near junctions don't jump between arms. */
  useHmm?: boolean;
  /** HMM: position noise SD (cm, default 5) and probability of staying on a segment (default 0.9). */
  sensorStd?: number;
  stayProbability?: number;
}

export interface Linearized {
  /** Linear position (cm) of each sample. */
  linearPosition: Float64Array;
  /** Index (into graph.edges) of the segment each sample was projected to. */
  segment: Int32Array;
  /** rows × 2: the projected point on that segment (cm). */
  projected: Matrix<Float64Array>;
  /** Start (cm) of each edge on the linear axis, by edge index. */
  edgeStart: Float64Array;
}

/**
 * Linearizes 2-D positions onto a track graph (as track_linearization / Spyglass's
 * LinearizedPositionV1): each sample goes to its nearest segment (or the Viterbi path of an HMM
 * over segments), and its linear position is the distance along that edge plus the lengths of the
 * edges before it in `edgeOrder`, with `edgeSpacing` between them.
 *
 * @example
 * const w = { nodes: [[0, 0], [0, 100], [-50, 100], [50, 100]], edges: [[0, 1], [1, 2], [1, 3]] };
 * const { linearPosition } = linearize(xy, w, { edgeSpacing: 15 });
 */
export function linearize(
  position: Matrix<Float64Array>,
  graph: TrackGraph,
  options: LinearizeOptions = {},
): Linearized {
  if (position.cols !== 2) throw new ParameterError('position', 'rows × 2 (x, y in cm)', `${position.cols} columns`);
  const nE = graph.edges.length;
  if (nE === 0) throw new ParameterError('graph.edges', 'at least one edge', '0');
  for (const [a, b] of graph.edges) {
    if (!graph.nodes[a] || !graph.nodes[b])
      throw new ParameterError('graph.edges', `node indices < ${graph.nodes.length}`, `[${a}, ${b}]`);
  }
  const order = options.edgeOrder ?? graph.edges.map((_, i) => i);
  if (order.length !== nE || new Set(order).size !== nE || order.some((e) => e < 0 || e >= nE)) {
    throw new ParameterError('edgeOrder', `a permutation of 0..${nE - 1}`, order.join(','));
  }
  const spacing = options.edgeSpacing ?? 0;
  const gaps = typeof spacing === 'number' ? new Array(nE - 1).fill(spacing) : spacing;
  if (gaps.length !== nE - 1)
    throw new ParameterError('edgeSpacing', `one number or ${nE - 1} numbers`, `${gaps.length}`);
  const length = graph.edges.map(([a, b]) =>
    hypot(graph.nodes[b][0] - graph.nodes[a][0], graph.nodes[b][1] - graph.nodes[a][1]),
  );
  const edgeStart = new Float64Array(nE);
  let at = 0;
  order.forEach((e, k) => {
    edgeStart[e] = at;
    at += length[e] + (k < nE - 1 ? gaps[k] : 0);
  });

  const n = position.rows;
  // Distance and projection of every sample onto every segment.
  const dist = new Float64Array(n * nE),
    along = new Float64Array(n * nE);
  for (let i = 0; i < n; i++) {
    const x = position.data[2 * i],
      y = position.data[2 * i + 1];
    graph.edges.forEach(([a, b], e) => {
      const [ax, ay] = graph.nodes[a],
        [bx, by] = graph.nodes[b];
      const dx = bx - ax,
        dy = by - ay,
        l2 = dx * dx + dy * dy;
      const f = l2 > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0;
      dist[i * nE + e] = hypot(x - (ax + f * dx), y - (ay + f * dy));
      along[i * nE + e] = f;
    });
  }
  const segment = options.useHmm ? viterbiSegments(graph, dist, n, options) : nearest(dist, n, nE);
  const linearPosition = new Float64Array(n),
    projected = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const e = segment[i];
    if (e < 0) {
      linearPosition[i] = NaN;
      projected[2 * i] = NaN;
      projected[2 * i + 1] = NaN;
      continue;
    }
    const f = along[i * nE + e],
      [a, b] = graph.edges[e];
    linearPosition[i] = edgeStart[e] + f * length[e];
    projected[2 * i] = graph.nodes[a][0] + f * (graph.nodes[b][0] - graph.nodes[a][0]);
    projected[2 * i + 1] = graph.nodes[a][1] + f * (graph.nodes[b][1] - graph.nodes[a][1]);
  }
  return { linearPosition, segment, projected: { data: projected, rows: n, cols: 2 }, edgeStart };
}

function nearest(dist: Float64Array, n: number, nE: number): Int32Array {
  const out = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let e = 0; e < nE; e++)
      if (dist[i * nE + e] < best) {
        best = dist[i * nE + e];
        out[i] = e;
      }
  }
  return out;
}

/** Most probable segment sequence: Gaussian emission in the distance, moves only to touching edges. */
function viterbiSegments(graph: TrackGraph, dist: Float64Array, n: number, options: LinearizeOptions): Int32Array {
  const nE = graph.edges.length;
  const sd = checkNumber('sensorStd', options.sensorStd ?? 5, { min: 1e-9 });
  const stay = checkNumber('stayProbability', options.stayProbability ?? 0.9, { min: 0, max: 1 });
  const logT = new Float64Array(nE * nE).fill(-Infinity);
  for (let e = 0; e < nE; e++) {
    const touching: number[] = [];
    for (let f = 0; f < nE; f++) {
      if (f !== e && graph.edges[f].some((v) => graph.edges[e].includes(v))) touching.push(f);
    }
    logT[e * nE + e] = log(touching.length ? stay : 1);
    for (const f of touching) logT[e * nE + f] = log((1 - stay) / touching.length);
  }
  const score = new Float64Array(nE),
    next = new Float64Array(nE),
    back = new Int32Array(n * nE);
  for (let e = 0; e < nE; e++) score[e] = -(dist[e] ** 2) / (2 * sd * sd);
  for (let i = 1; i < n; i++) {
    for (let f = 0; f < nE; f++) {
      let best = -Infinity,
        arg = f;
      for (let e = 0; e < nE; e++) {
        const v = score[e] + logT[e * nE + f];
        if (v > best) {
          best = v;
          arg = e;
        }
      }
      next[f] = best - dist[i * nE + f] ** 2 / (2 * sd * sd);
      back[i * nE + f] = arg;
    }
    score.set(next);
  }
  const out = new Int32Array(n);
  let e = 0;
  for (let f = 1; f < nE; f++) if (score[f] > score[e]) e = f;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = e;
    e = back[i * nE + e];
  }
  return out;
}
