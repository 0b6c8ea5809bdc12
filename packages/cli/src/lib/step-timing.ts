import { readFileSync, writeFileSync } from 'node:fs';

/** How much recording a run covers, for throughput: raw samples (rows × channels) and seconds. */
export interface RecordingSize {
  samples: number;
  seconds: number;
}

/** One step's wall time and peak resident memory. */
export interface StepTiming {
  step: string;
  wallS: number;
  peakRssBytes: number;
  /** Raw samples per second of wall time and seconds of recording per second (absent without a raw series). */
  samplesPerS?: number;
  realTime?: number;
}

/**
 * Times the steps of a run one after the other: wall time since the previous step ended, and the
 * peak RSS while it ran (Linux: the high-water mark is reset between steps through
 * /proc/self/clear_refs; elsewhere the process's peak so far).
 */
export class StepTimer {
  private started = performance.now();

  constructor(private readonly size?: RecordingSize) {
    this.restart();
  }

  /** Starts timing the next step. */
  restart(): void {
    resetPeakRss();
    this.started = performance.now();
  }

  /** The step that just ended, and starts the next one. */
  lap(step: string): StepTiming {
    const wallS = Math.max(1e-6, (performance.now() - this.started) / 1000);
    const t: StepTiming = { step, wallS, peakRssBytes: peakRss() };
    if (this.size) ((t.samplesPerS = this.size.samples / wallS), (t.realTime = this.size.seconds / wallS));
    this.restart();
    return t;
  }
}

/** `lfp: 12.3 s wall, 45.6 M samples/s (×120 real time), peak RSS 612 MB`. */
export function formatTiming(t: StepTiming): string {
  const rate =
    t.samplesPerS === undefined
      ? ''
      : `, ${(t.samplesPerS / 1e6).toPrecision(3)} M samples/s (×${t.realTime!.toPrecision(3)} real time)`;
  return `${t.step}: ${t.wallS.toFixed(2)} s wall${rate}, peak RSS ${Math.round(t.peakRssBytes / 2 ** 20)} MB`;
}

function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux (or not allowed): the peak stays the process's
  }
}

function peakRss(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}
