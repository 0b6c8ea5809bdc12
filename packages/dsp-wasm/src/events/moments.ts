/**
 * The exact sum of float64 values, rounded once when read: Shewchuk's non-overlapping partials
 * (the method of Python's math.fsum). The order the values come in does not change the result,
 * so statistics summed window by window equal those of the whole array bit for bit.
 */
export class ExactSum {
  /** Non-overlapping partial sums, smallest magnitude first; their exact sum is the total. */
  readonly partials: number[] = [];

  add(value: number): void {
    const p = this.partials;
    let x = value,
      kept = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[kept++] = lo;
      x = hi;
    }
    p.length = kept;
    p.push(x);
  }

  /** The exact sum rounded to the nearest float64 (ties to even). */
  value(): number {
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n],
      lo = 0;
    while (n > 0) {
      const x = hi,
        y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // the partials below decide a tie: round away from hi when they push the same way as lo
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2,
        x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}

const SPLIT = 134_217_729; // 2^27 + 1 (Veltkamp)

/** a · b = the product's float64 `p` plus `err`, exactly (Dekker), unless it over- or underflows. */
function productError(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a),
    al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b),
    bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** Adds a · b to `sum` exactly. */
function addProduct(sum: ExactSum, a: number, b: number): void {
  const p = a * b;
  sum.add(p);
  sum.add(productError(a, b, p));
}

/**
 * Count, mean and population SD (ddof 0) of values added one at a time, from exact sums: the mean is
 * Σx / n, the SD √(Σ(x − mean)² / n) with that sum taken exactly (Σx² − 2·mean·Σx + n·mean²), so
 * both are the same however the values are split or ordered, and within an ulp of the exact ones.
 */
export class Moments {
  n = 0;
  private readonly sum = new ExactSum();
  private readonly squares = new ExactSum();

  add(x: number): void {
    this.n++;
    this.sum.add(x);
    addProduct(this.squares, x, x);
  }

  /** NaN for both when nothing was added. */
  stats(): { mean: number; std: number } {
    const n = this.n;
    if (n === 0) return { mean: NaN, std: NaN };
    const mean = this.sum.value() / n;
    const ss = new ExactSum();
    for (const q of this.squares.partials) ss.add(q);
    for (const s of this.sum.partials) addProduct(ss, -2 * mean, s);
    const m2 = mean * mean;
    addProduct(ss, n, m2);
    addProduct(ss, n, productError(mean, mean, m2));
    return { mean, std: Math.sqrt(Math.max(0, ss.value()) / n) };
  }
}
