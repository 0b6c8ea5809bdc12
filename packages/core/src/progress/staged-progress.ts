/** Called with the fraction of a task done, 0..1. */
export type ProgressCallback = (fraction: number) => void;

/**
 * One task's progress (0..1) split into consecutive stages by weight (the share of the work each
 * takes), so each stage reports its own 0..1 and the caller sees one fraction. What reaches
 * `onProgress` only increases; `done()` reports exactly 1 (unless the last stage already did).
 *
 * @example
 * const progress = new StagedProgress(onProgress, { filter: 1, match: 3 });
 * const y = filter(x, { onProgress: progress.stage('filter') });
 * match(y, { onProgress: progress.stage('match') }); // reports 0.25 + 0.75 · f
 * progress.done();
 */
export class StagedProgress<K extends string> {
  private readonly starts = new Map<K, [number, number]>();
  private last = 0;

  constructor(
    private readonly onProgress: ProgressCallback | undefined,
    weights: Record<K, number>,
  ) {
    const total = Object.values<number>(weights).reduce((s, w) => s + w, 0);
    let at = 0;
    for (const [name, w] of Object.entries<number>(weights)) {
      this.starts.set(name as K, [at / total, w / total]);
      at += w;
    }
  }

  /** The stage's own reporter: `f` of the stage done. Reports the stage's start when called. */
  stage(name: K): ProgressCallback {
    const [start, width] = this.starts.get(name) ?? [this.last, 0];
    this.report(start);
    return (f) => this.report(start + width * Math.min(1, Math.max(0, f)));
  }

  /** Reports 1. */
  done(): void {
    this.report(1);
  }

  private report(fraction: number): void {
    const f = Math.min(fraction, 1);
    if (!this.onProgress || !(f > this.last)) return;
    this.last = f;
    this.onProgress(f);
  }
}
