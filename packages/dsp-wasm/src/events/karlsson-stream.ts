import { type DetectedEvent, EventFinisher, EventStats, type Settings } from './detect-events.js';
import { CandidateFinder, RangeMerger } from './threshold.js';

/**
 * Karlsson's rule on the channels' z-scores handed over a sample at a time, in order (each block's
 * samples, then its end): each channel thresholded on its own (CandidateFinder), the candidates
 * merged where they share a sample (RangeMerger, as mergeRanges), each merged range finished
 * (EventFinisher) on the largest z across channels at each sample. A merged range is finished once
 * no channel's open above-mean run starts within it, since only such a run could still join it;
 * the largest z, time and speed are kept from the earliest sample an open run or unfinished range
 * holds, nothing before. The events are karlssonChannels's on the same z, bit for bit.
 */
export class KarlssonStream {
  private readonly finders: CandidateFinder[];
  private readonly merger = new RangeMerger();
  private readonly finisher: EventFinisher;
  private readonly stats: EventStats;
  // rows [first, first + count) at [head, head + count) of the largest z, time and speed
  private zmax: Float64Array = new Float64Array(1024);
  private time: Float64Array = new Float64Array(1024);
  private speed: Float64Array = new Float64Array(1024);
  private head = 0;
  private count = 0;
  private first = 0;

  constructor(channels: number, s: Settings, minSamples: number, gated: boolean) {
    this.finisher = new EventFinisher(s, gated);
    this.stats = new EventStats(s.speedThreshold);
    this.finders = Array.from(
      { length: channels },
      () => new CandidateFinder(s.threshold, minSamples, (a, b) => this.merger.add(a, b)),
    );
  }

  /** Sample `i` of a block: each channel's z-score, its time and speed (NaN when not gated). */
  sample(i: number, z: ArrayLike<number>, time: number, speed: number): void {
    // statistics come from the strongest channel; a flat channel's NaN z never wins
    let max = NaN;
    for (let c = 0; c < this.finders.length; c++) {
      const v = z[c];
      if (v > max || (Number.isNaN(max) && !Number.isNaN(v))) max = v;
      this.finders[c].sample(i, v);
    }
    this.keep(i, max, time, speed);
    this.settle();
  }

  /** The block ends before sample `i`: every run closes, every merged range is finished. */
  endBlock(i: number): void {
    for (const f of this.finders) f.endBlock(i);
    this.settle();
  }

  /** The events so far (all of them once the last block has ended). */
  events(): DetectedEvent[] {
    return this.finisher.events;
  }

  /** Finishes the merged ranges no open run can reach, and forgets the samples none needs. */
  private settle(): void {
    let open = Infinity;
    for (const f of this.finders) if (f.meanStart >= 0 && f.meanStart < open) open = f.meanStart;
    const ranges = this.merger.ranges;
    let done = 0;
    while (done < ranges.length && ranges[done][1] < open) this.finish(...ranges[done++]);
    if (done > 0) ranges.splice(0, done);
    const needed = Math.min(open, ranges.length > 0 ? ranges[0][0] : Infinity);
    const drop = Math.min(this.count, needed - this.first);
    if (drop > 0) {
      this.head += drop;
      this.count -= drop;
      this.first += drop;
    }
    if (this.count === 0) this.head = 0;
  }

  /** EventFinisher on merged range [a, b], its statistics from the samples kept. */
  private finish(a: number, b: number): void {
    const { stats, head, first } = this;
    const at = head + a - first;
    stats.begin(a, this.time[at], this.speed[at]);
    for (let i = a; i <= b; i++) stats.add(i, this.zmax[at + i - a], this.time[at + i - a], this.speed[at + i - a]);
    this.finisher.offer(a, b, stats);
  }

  /** Appends row i (the row after the last kept, or any row when none is). */
  private keep(i: number, zmax: number, time: number, speed: number): void {
    if (this.count === 0) this.first = i;
    let end = this.head + this.count;
    if (end === this.zmax.length) {
      // slide the kept rows to the front while they fill at most half the buffer, else grow it
      const size = this.head >= end / 2 ? end : 2 * end;
      [this.zmax, this.time, this.speed] = [this.zmax, this.time, this.speed].map((x) =>
        size === end ? x.copyWithin(0, this.head, end) : moved(x, this.head, end, size),
      );
      this.head = 0;
      end = this.count;
    }
    this.zmax[end] = zmax;
    this.time[end] = time;
    this.speed[end] = speed;
    this.count++;
  }
}

/** x[from, to) at the start of a new array of `size`. */
function moved(x: Float64Array, from: number, to: number, size: number): Float64Array {
  const out = new Float64Array(size);
  out.set(x.subarray(from, to));
  return out;
}
