import { checkNumber, checkOptionNames } from '@spyglass-wasm/core';
import { findCollisions, type Collision } from '../sort/collisions.js';
import { poissonUpperTail } from './curation.js';

/** What `collisionUnits` needs of each unit: spike times (s, sorted) and its mean waveform (length × channels). */
export interface CollisionUnit {
  times: Float64Array;
  template: Float32Array;
  /** Already known to be a collision (`SortedUnit.collisionOf`): neither tested nor a part. */
  collisionOf?: readonly number[];
  /** `SortedUnit.spread`: a collision must spread more than both its parts (`minSpread`). */
  spread?: number;
}

export interface CollisionUnitOptions {
  /** Recording duration, s, and sampling rate, Hz. */
  duration: number;
  fs: number;
  /** Samples and channels of each template. */
  length: number;
  channels: number;
  /** Noise level per channel: templates are compared in noise units. */
  noise: ArrayLike<number>;
  /** Largest shift of each part, s (default 0.001: the lags of two spikes a cluster of collisions mixes). */
  maxLag?: number;
  /** Largest share of the template's energy the two parts leave unexplained (default 0.1, findCollisions'). */
  maxResidual?: number;
  /**
   * How many times more of the energy the best single shifted, scaled template leaves than the pair
   * (default 2): a collision needs both its parts; a unit one other template explains about as well
   * is a neuron of that shape, not two spikes.
   */
  minGain?: number;
  /**
   * Half-width (s, default 0.0005) of the window about a part's place in the unit's spikes, and the
   * level of the tests (default 0.05). Beyond it, to `refractory` (s, default 0.0015), a part's spikes
   * should be fewer than `maxRefractoryRatio` (default 0.2, autoMerge's) of chance: a refractory dip.
   */
  window?: number;
  alpha?: number;
  refractory?: number;
  maxRefractoryRatio?: number;
  /** Fewest spikes of a part (default 20). */
  minSpikes?: number;
  /**
   * Share of the unit's spikes (default 0.5) a part must fire at, within `window` of its place, for
   * the unit to be a neuron in synchrony with it rather than a cluster of collisions. A template
   * is the mean of the waveforms as recorded, so a neuron's synchronous partner, detected apart,
   * is in its template scaled by the share of spikes it fires at: a scale of 0.75 or more (the
   * fit's least) needs most of them. A few coincidences are the part's spike detected twice.
   */
  minSynchrony?: number;
  /**
   * How many times each part's spread (`CollisionUnit.spread`) a collision's must be (default
   * 1.05): a cluster of collisions holds both parts' spikes, with their own variability, at lags
   * and sizes that vary apart, so they spread about its template more than either part's do about
   * theirs, while a neuron whose template two others happen to fit spreads as one neuron does.
   */
  minSpread?: number;
}

/**
 * The units that are collisions of two others, found from the finished sorting rather than from
 * the templates learned: a unit's template (in noise units) explained by two other units'
 * templates, each shifted by up to `maxLag` either way (any pair of lags, not only the same instant)
 * and scaled by 0.75–1.33, to within `maxResidual` of its energy, at least `minGain` times better
 * than by any one template; and neither part firing within `window` of its place at
 * `minSynchrony` of the unit's spikes or more, more often than chance (one-sided Poisson test at
 * `alpha`): a cluster of collisions holds its parts' spikes, so they are detected again at those
 * instants only by a double detection, while a neuron firing in synchrony with a part detected
 * apart has the part in its template only if the part fires at most of its spikes; and, where the
 * units' spreads are known, its spikes spreading about its template `minSpread` times more than
 * either part's about theirs (two neurons' spikes at lags and sizes that vary apart). The largest
 * such template is taken first and the search redone without it as a part. Returns the collisions
 * found (unit, parts, lags, scales), by unit.
 *
 * @example
 * collisionUnits(units, { duration: 60, fs: 30000, length: 90, channels: 8, noise: sorting.noise });
 */
export function collisionUnits(units: readonly CollisionUnit[], options: CollisionUnitOptions): Collision[] {
  checkOptionNames('collisionUnits', options, [
    'duration',
    'fs',
    'length',
    'channels',
    'noise',
    'maxLag',
    'maxResidual',
    'minGain',
    'window',
    'alpha',
    'refractory',
    'maxRefractoryRatio',
    'minSpikes',
    'minSynchrony',
    'minSpread',
  ]);
  const duration = checkNumber('duration', options.duration, { min: 0, exclusiveMin: true });
  const fs = checkNumber('fs', options.fs, { min: 0, exclusiveMin: true });
  const { length: L, channels: C, noise } = options;
  const maxLag = Math.min(
    Math.round(checkNumber('maxLag', options.maxLag ?? 0.001, { min: 0 }) * fs),
    Math.floor((L - 1) / 3),
  );
  const maxResidual = checkNumber('maxResidual', options.maxResidual ?? 0.1, { min: 0, max: 1 });
  const minGain = checkNumber('minGain', options.minGain ?? 2, { min: 1 });
  const window = checkNumber('window', options.window ?? 0.0005, { min: 0 });
  const alpha = checkNumber('alpha', options.alpha ?? 0.05, { min: 0, max: 1, exclusiveMin: true });
  const refractory = checkNumber('refractory', options.refractory ?? 0.0015, { min: window });
  const maxRatio = checkNumber('maxRefractoryRatio', options.maxRefractoryRatio ?? 0.2, { min: 0 });
  const minSpikes = checkNumber('minSpikes', options.minSpikes ?? 20, { min: 0 });
  const minSpread = checkNumber('minSpread', options.minSpread ?? 1.05, { min: 0 });
  const minSynchrony = checkNumber('minSynchrony', options.minSynchrony ?? 0.5, { min: 0, max: 1 });
  const dim = L * C;
  const data = new Float32Array(units.length * dim);
  units.forEach((u, i) => u.template.forEach((v, j) => (data[i * dim + j] = v / Math.max(1e-12, noise[j % C]))));
  const stack = { data, units: units.length, length: L, channels: C };
  const energy = (u: number) => data.subarray(u * dim, (u + 1) * dim).reduce((s, v) => s + v * v, 0);
  // known collisions and units too small to be a neuron's are never parts
  const exclude = new Set(units.flatMap((u, i) => (u.collisionOf || u.times.length < minSpikes ? [i] : [])));
  const known = new Set(units.flatMap((u, i) => (u.collisionOf ? [i] : [])));
  const found = new Map<number, Collision>();
  for (let round = 0; round < units.length; round++) {
    const fits = findCollisions(stack, { maxLag, maxResidual }, exclude).concat(
      // a small unit is no part, but may itself be a collision
      [...exclude].filter((u) => !known.has(u) && !found.has(u)).flatMap((u) => fitOne(u)),
    );
    const real = fits.filter(
      (f) =>
        !found.has(f.unit) &&
        !known.has(f.unit) &&
        f.single >= minGain * f.residual &&
        spreadsMore(f) &&
        [
          [f.a, f.lagA],
          [f.b, f.lagB],
        ].every(([p, lag]) => holdsPart(units[f.unit].times, units[p].times, lag / fs)),
    );
    if (!real.length) break;
    const largest = real.reduce((m, f) => (energy(f.unit) > energy(m.unit) ? f : m));
    found.set(largest.unit, largest);
    exclude.add(largest.unit);
  }
  return [...found.values()].sort((p, q) => p.unit - q.unit);

  /**
   * Whether the unit's spikes may hold a part's (its template `lag` s later): the part fires
   * neither at most of those instants, more than chance (they would not be its spikes then), nor
   * around them with no refractory dip.
   */
  function holdsPart(unit: Float64Array, part: Float64Array, lag: number): boolean {
    const near = (lo: number, hi: number) => ({
      count: coincidences(unit, part, lag, lo, hi),
      expected: (unit.length * part.length * 2 * (hi - lo)) / duration,
    });
    const at = near(0, window),
      around = near(window, refractory);
    const synchronous =
      at.count >= minSynchrony * unit.length && poissonUpperTail({ count: at.count, mean: at.expected }) < alpha;
    return !synchronous && poissonUpperTail({ count: around.count, mean: maxRatio * around.expected }) >= alpha;
  }

  /**
   * Whether the unit's spikes spread about its template `minSpread` times more than either part's
   * about its own (true when a spread is unknown).
   */
  function spreadsMore(f: Collision): boolean {
    const [c, a, b] = [f.unit, f.a, f.b].map((u) => units[u].spread ?? NaN);
    return !(c < minSpread * Math.max(a, b));
  }

  /** findCollisions for one unit that is not a part (the stack with it in, every other excluded unit out). */
  function fitOne(u: number): Collision[] {
    const others = new Set([...exclude].filter((x) => x !== u));
    return findCollisions(stack, { maxLag, maxResidual }, others).filter((f) => f.unit === u);
  }
}

/** Spikes of `unit` with a spike of `part` at a distance in [lo, hi] (lo = 0) or (lo, hi] from `lag` after them. */
function coincidences(unit: Float64Array, part: Float64Array, lag: number, lo: number, hi: number): number {
  let n = 0,
    j = 0;
  for (const t of unit) {
    const at = t + lag;
    while (j < part.length && part[j] < at - hi) j++;
    for (let k = j; k < part.length && part[k] <= at + hi; k++) {
      const d = Math.abs(part[k] - at);
      if (lo === 0 ? d <= hi : d > lo && d <= hi) {
        n++;
        break;
      }
    }
  }
  return n;
}
