import { checkNumber, checkOptionNames } from '@spyglass-wasm/core';
import type { TemplateSet } from '../match/match-templates.js';

/** Templates as `units × length × channels`, row-major (one sample of every channel, then the next). */
export interface TemplateStack {
  data: Float32Array;
  units: number;
  length: number;
  channels: number;
}

/** A template explained by the sum of two other units' templates, each shifted and scaled. */
export interface Collision {
  unit: number;
  /** The two units, their shifts (samples; the template is read `lag` samples later) and scales. */
  a: number;
  b: number;
  lagA: number;
  lagB: number;
  scaleA: number;
  scaleB: number;
  /** Energy of the template the two-unit fit leaves unexplained, as a fraction of its energy. */
  residual: number;
  /** The same fraction for the best single shifted and scaled template. */
  single: number;
}

export interface CollisionOptions {
  /** Largest shift of each template tried, samples (default 18: 0.6 ms at 30 kHz). */
  maxLag?: number;
  /** Largest unexplained fraction of the template's energy for a collision (default 0.1). */
  maxResidual?: number;
  /**
   * Per unit the scales its spikes take, [lo, hi] pairs (learnTemplates' scaleRange); a collision
   * is two whole spikes, so each scale must be one its unit has (default 0.75–1.33 for every unit).
   */
  scaleRange?: ArrayLike<number>;
}

/**
 * Templates that are two other units firing together: a cluster of synchronous spikes of two
 * units has the sum of their templates (at the lag between them) as its template, and is no
 * neuron. A template counts as a collision when two other templates, each shifted by at most
 * `maxLag` and scaled by an amount its unit's spikes have, leave at most `maxResidual` of its
 * energy unexplained. Every pair of units at every pair of shifts is tried (the pair's overlap
 * products come from one cross-correlation per pair); units in `exclude` are neither tested nor parts.
 *
 * @example
 * findCollisions({ data: templates.whitened, units, length, channels }, { scaleRange: templates.scaleRange });
 */
export function findCollisions(
  t: TemplateStack,
  options: CollisionOptions = {},
  exclude: ReadonlySet<number> = new Set(),
): Collision[] {
  checkOptionNames('findCollisions', options, ['maxLag', 'maxResidual', 'scaleRange']);
  const maxLag = checkNumber('maxLag', options.maxLag ?? 18, { min: 0, integer: true });
  const maxResidual = checkNumber('maxResidual', options.maxResidual ?? 0.1, { min: 0, max: 1 });
  const range = (u: number): [number, number] =>
    options.scaleRange ? [options.scaleRange[2 * u], options.scaleRange[2 * u + 1]] : [0.75, 1.33];
  const parts = [...Array(t.units).keys()].filter((u) => !exclude.has(u));
  const cross = pairCrossCorrelations(t, parts, 2 * maxLag);
  const out: Collision[] = [];
  for (const c of parts) {
    const fit = bestPair(t, c, maxLag, parts, cross, range);
    if (fit && fit.residual <= maxResidual) out.push({ unit: c, ...fit });
  }
  return out;
}

type PairFit = Omit<Collision, 'unit'>;

/** Σ_s a[s]·b[s + d] for every pair a < b of `parts` and |d| ≤ maxD, keyed a * units + b. */
function pairCrossCorrelations(t: TemplateStack, parts: readonly number[], maxD: number): Map<number, Float64Array> {
  const { length: L, channels: C, data } = t;
  const out = new Map<number, Float64Array>();
  for (const a of parts)
    for (const b of parts) {
      if (b <= a) continue;
      const xc = new Float64Array(2 * maxD + 1);
      for (let d = -maxD; d <= maxD; d++) {
        let sum = 0;
        const ia = a * L * C,
          ib = b * L * C + d * C;
        for (let j = Math.max(0, -d) * C; j < Math.min(L, L - d) * C; j++) sum += data[ia + j] * data[ib + j];
        xc[d + maxD] = sum;
      }
      out.set(a * t.units + b, xc);
    }
  return out;
}

/**
 * The best fit of template c by two others, each shifted and with a scale its unit has (the 2 × 2
 * normal equations at every pair of shifts), or undefined when no pair has feasible scales.
 */
function bestPair(
  t: TemplateStack,
  c: number,
  maxLag: number,
  parts: readonly number[],
  cross: Map<number, Float64Array>,
  range: (u: number) => [number, number],
): PairFit | undefined {
  const dim = t.length * t.channels;
  const target = t.data.subarray(c * dim, (c + 1) * dim);
  const energy = dot(target, target);
  if (!(energy > 0)) return undefined;
  const lags = 2 * maxLag + 1;
  const others = parts.filter((u) => u !== c);
  // each part's product with the target and its energy at every shift
  const along = others.map(() => new Float64Array(lags)),
    norm = others.map(() => new Float64Array(lags));
  let singleExplained = 0;
  others.forEach((u, i) => {
    for (let l = -maxLag; l <= maxLag; l++) {
      const p = shiftedDot(t, u, l, target);
      along[i][l + maxLag] = p.along;
      norm[i][l + maxLag] = p.norm;
      if (p.along > 0 && p.norm > 0) singleExplained = Math.max(singleExplained, (p.along * p.along) / p.norm);
    }
  });
  // the best so far in numbers, not a new object at each improvement (millions of candidates a sort)
  let found = false,
    bestA = 0,
    bestB = 0,
    bestLa = 0,
    bestLb = 0,
    bestSa = 0,
    bestSb = 0,
    bestResidual = 0;
  for (let i = 0; i < others.length; i++)
    for (let k = i + 1; k < others.length; k++) {
      const a = others[i],
        b = others[k];
      const xc = cross.get(a * t.units + b)!;
      const [loA, hiA] = range(a),
        [loB, hiB] = range(b);
      const normA = norm[i],
        normB = norm[k],
        alongA = along[i],
        alongB = along[k];
      for (let la = 0; la < lags; la++)
        for (let lb = 0; lb < lags; lb++) {
          const aa = normA[la],
            bb = normB[lb],
            ta = alongA[la],
            tb = alongB[lb];
          // ⟨a shifted la, b shifted lb⟩ = Σ_s a[s]·b[s + la − lb]
          const ab = xc[la - lb + 2 * maxLag];
          const det = aa * bb - ab * ab;
          if (!(det > 1e-9 * aa * bb)) continue;
          const sa = (ta * bb - tb * ab) / det,
            sb = (tb * aa - ta * ab) / det;
          if (sa < loA || sa > hiA || sb < loB || sb > hiB) continue;
          const residual = 1 - (sa * ta + sb * tb) / energy;
          if (!found || residual < bestResidual) {
            found = true;
            bestA = a;
            bestB = b;
            bestLa = la;
            bestLb = lb;
            bestSa = sa;
            bestSb = sb;
            bestResidual = residual;
          }
        }
    }
  if (!found) return undefined;
  return {
    a: bestA,
    b: bestB,
    lagA: bestLa - maxLag,
    lagB: bestLb - maxLag,
    scaleA: bestSa,
    scaleB: bestSb,
    residual: bestResidual,
    single: 1 - singleExplained / energy,
  };
}

/**
 * A two-template stack's shifted templates (read `lag` samples later, zero where they have no
 * sample) and their energies at every shift: each spike a pair is fitted to reads the same ones.
 */
interface ShiftedPair {
  stack: TemplateStack;
  maxLag: number;
  /** Template u at shift lag: index u * (2 maxLag + 1) + lag + maxLag. */
  templates: Float32Array[];
  /** Σ over the overlap of the shifted template's squares, in shiftedDot's order. */
  norms: Float64Array;
  /** dot(shifted, shifted) over the whole length (`dot`'s order). */
  energies: Float64Array;
}

function shiftedPair(stack: TemplateStack, maxLag: number): ShiftedPair {
  const lags = 2 * maxLag + 1;
  const templates: Float32Array[] = [],
    norms = new Float64Array(2 * lags),
    energies = new Float64Array(2 * lags);
  for (let u = 0; u < 2; u++)
    for (let lag = -maxLag; lag <= maxLag; lag++) {
      const at = u * lags + lag + maxLag;
      templates.push(shifted(stack, u, lag));
      norms[at] = shiftedNorm(stack, u, lag);
      energies[at] = dot(templates[at], templates[at]);
    }
  return { stack, maxLag, templates, norms, energies };
}

/** Template u's shift (±maxLag) that explains most of `target` with a positive scale, or undefined. */
function bestShift(
  pair: ShiftedPair,
  u: number,
  target: Float32Array,
): { lag: number; along: number; explained: number } | undefined {
  const { maxLag, norms } = pair;
  let top: { lag: number; along: number; explained: number } | undefined;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const along = shiftedAlong(pair.stack, u, lag, target),
      norm = norms[u * (2 * maxLag + 1) + lag + maxLag];
    if (!(along > 0 && norm > 0)) continue;
    const explained = (along * along) / norm;
    if (!top || explained > top.explained) top = { lag, along, explained };
  }
  return top;
}

/** Template u read `lag` samples later (x[t] = template[t − lag]), zero where it has no sample. */
function shifted(t: TemplateStack, u: number, lag: number): Float32Array {
  const { length: L, channels: C } = t;
  const out = new Float32Array(L * C);
  const src = t.data.subarray(u * L * C, (u + 1) * L * C);
  const from = Math.max(0, lag),
    to = Math.min(L, L + lag);
  if (to > from) out.set(src.subarray((from - lag) * C, (to - lag) * C), from * C);
  return out;
}

/** shiftedDot's `along` alone (the same products summed in the same order). */
function shiftedAlong(t: TemplateStack, u: number, lag: number, target: Float32Array): number {
  const { length: L, channels: C, data } = t;
  const base = u * L * C - lag * C;
  let along = 0;
  for (let j = Math.max(0, lag) * C; j < Math.min(L, L + lag) * C; j++) along += target[j] * data[base + j];
  return along;
}

/** shiftedDot's `norm` alone. */
function shiftedNorm(t: TemplateStack, u: number, lag: number): number {
  const { length: L, channels: C, data } = t;
  const base = u * L * C - lag * C;
  let norm = 0;
  for (let j = Math.max(0, lag) * C; j < Math.min(L, L + lag) * C; j++) {
    const v = data[base + j];
    norm += v * v;
  }
  return norm;
}

/** The dot product of `target` with template u read `lag` samples later, and that shifted template's energy. */
function shiftedDot(t: TemplateStack, u: number, lag: number, target: Float32Array): { along: number; norm: number } {
  const { length: L, channels: C, data } = t;
  const base = u * L * C - lag * C;
  let along = 0,
    norm = 0;
  for (let j = Math.max(0, lag) * C; j < Math.min(L, L + lag) * C; j++) {
    const v = data[base + j];
    along += target[j] * v;
    norm += v * v;
  }
  return { along, norm };
}

function dot(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/**
 * The fraction of a unit's spikes (whitened snippets `members` of `snippets`) that the sum of units
 * a and b, each shifted (±maxLag) and scaled for that spike, fits at least as well as the unit's
 * own template `c` scaled: about all of them for a cluster of collisions, whatever the lag of
 * each, and almost none for a neuron, whose own template beats any sum by its shape.
 */
export function pairFitsSpikes(
  t: TemplateStack,
  snippets: Float32Array,
  members: readonly number[],
  fit: { unit: number; a: number; b: number },
  maxLag: number,
): number {
  const dim = t.length * t.channels;
  const own = t.data.subarray(fit.unit * dim, (fit.unit + 1) * dim);
  const ownNorm = dot(own, own);
  const stack = { ...t, units: 2, data: new Float32Array(2 * dim) };
  stack.data.set(t.data.subarray(fit.a * dim, (fit.a + 1) * dim), 0);
  stack.data.set(t.data.subarray(fit.b * dim, (fit.b + 1) * dim), dim);
  const pair = shiftedPair(stack, maxLag);
  let better = 0;
  for (const i of members) {
    const s = snippets.subarray(i * dim, (i + 1) * dim);
    const energy = dot(s, s);
    const byOwn = energy - dot(s, own) ** 2 / ownNorm;
    const byPair = Math.min(pairResidual(pair, s, 0), pairResidual(pair, s, 1));
    if (byPair <= byOwn) better++;
  }
  return members.length ? better / members.length : 0;
}

/** What is left of `s` after fitting template `first` of a two-template stack, then the other, then both together. */
function pairResidual(pair: ShiftedPair, s: Float32Array, first: number): number {
  const energy = dot(s, s);
  const lags = 2 * pair.maxLag + 1;
  const one = bestShift(pair, first, s);
  if (!one) return energy;
  const atA = first * lags + one.lag + pair.maxLag;
  const a = pair.templates[atA],
    aa = pair.energies[atA];
  // the scale once, not per sample (the same value: dot(a, a) is the same every time)
  const scale = one.along / aa;
  const rest = new Float32Array(s.length);
  for (let j = 0; j < s.length; j++) rest[j] = s[j] - scale * a[j];
  const two = bestShift(pair, 1 - first, rest);
  if (!two) return energy - one.explained;
  const atB = (1 - first) * lags + two.lag + pair.maxLag;
  const b = pair.templates[atB],
    bb = pair.energies[atB],
    ab = dot(a, b),
    sa = dot(s, a),
    sb = dot(s, b);
  const det = aa * bb - ab * ab;
  if (!(det > 1e-12 * aa * bb)) return energy - one.explained;
  return energy - (sa * (sa * bb - sb * ab) + sb * (sb * aa - sa * ab)) / det;
}

/** Spikes per unit the per-spike test of `collisionTemplates` looks at (evenly spread over the unit's spikes). */
const TESTED_SPIKES = 200;

/**
 * The templates that are collisions of two others (`findCollisions` at `maxResidual`, default
 * 0.25), confirmed spike by spike: at least `minFraction` (default 0.5) of the unit's spikes must be
 * fit by the two units as well as by its own template (`pairFitsSpikes`). The largest such template
 * is taken first and the search redone without it as a part, so a sum of a unit and a collision is
 * found too. `snippets` are whitened snippets, `labels` theirs, template u being the u-th smallest
 * label ≥ 0 (as learnTemplates numbers them).
 */
export function collisionTemplates(
  templates: TemplateSet,
  snippets: Float32Array,
  labels: Int32Array,
  options: { maxLag: number; maxResidual?: number; minFraction?: number },
): Collision[] {
  const { units, length, channels } = templates;
  const dim = length * channels;
  const stack = { data: templates.whitened, units, length, channels };
  const used = [...new Set(labels)].filter((l) => l >= 0).sort((a, b) => a - b);
  const members = used.map((label) => {
    const all: number[] = [];
    labels.forEach((l, i) => l === label && all.push(i));
    const step = Math.max(1, all.length / TESTED_SPIKES);
    return Array.from({ length: Math.min(all.length, TESTED_SPIKES) }, (_, k) => all[Math.floor(k * step)]);
  });
  const energy = (u: number) => {
    const v = stack.data.subarray(u * dim, (u + 1) * dim);
    return dot(v, v);
  };
  const found = new Map<number, Collision>();
  for (let round = 0; round < units; round++) {
    const fits = findCollisions(
      stack,
      { maxLag: options.maxLag, maxResidual: options.maxResidual ?? 0.25, scaleRange: templates.scaleRange },
      new Set(found.keys()),
    ).filter(
      (f) => pairFitsSpikes(stack, snippets, members[f.unit], f, options.maxLag) >= (options.minFraction ?? 0.5),
    );
    if (!fits.length) break;
    const largest = fits.reduce((m, f) => (energy(f.unit) > energy(m.unit) ? f : m));
    found.set(largest.unit, largest);
  }
  return [...found.values()].sort((p, q) => p.unit - q.unit);
}
