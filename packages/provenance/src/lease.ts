/**
 * A claimed job's lease as its worker keeps it: call `tick()` every heartbeat period. Each tick
 * sends one heartbeat (never two at once); an accepted one extends the lease from when it was
 * sent. The database decides whether the lease is lost, not this process's clock: a worker whose
 * timers ran late (a loaded machine, a stalled event loop) asks again, and keeps the job if no
 * other worker took it meanwhile. It gives the job up when a heartbeat is refused (the claim
 * changed), fails after its lease ran out (it cannot tell whether another worker took it), or
 * goes unanswered for a whole lease after the lease ran out.
 *
 * @example
 * const lease = new LeaseKeeper({ leaseMs: 60_000, heartbeat: () => queue.heartbeat(job, 60_000), onLost: stop });
 * const timer = setInterval(() => lease.tick(), 15_000);
 */
export class LeaseKeeper {
  private until: number;
  private sentAt?: number;
  private lost = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly o: {
      leaseMs: number;
      /** Extends the lease in the database; false when this claim no longer holds the job. */
      heartbeat: () => Promise<boolean>;
      /** Called once, when the lease is lost. */
      onLost: () => void;
      /** Monotonic milliseconds (default performance.now). */
      now?: () => number;
    },
  ) {
    this.now = o.now ?? (() => performance.now());
    this.until = this.now() + o.leaseMs;
  }

  /** Whether the lease was given up. */
  get isLost(): boolean {
    return this.lost;
  }

  /** Sends a heartbeat unless one is in flight; gives up a heartbeat unanswered a lease past the lease's end. */
  tick(): void {
    if (this.lost || this.stopped) return;
    const t = this.now();
    if (this.sentAt !== undefined) {
      if (t > this.until + this.o.leaseMs) this.lose();
      return;
    }
    const sent = (this.sentAt = t);
    this.o.heartbeat().then(
      (ok) => {
        this.sentAt = undefined;
        if (this.stopped) return;
        if (!ok) return this.lose();
        this.until = Math.max(this.until, sent + this.o.leaseMs);
      },
      () => {
        // unreachable database: keep computing while the lease surely holds, not after
        this.sentAt = undefined;
        if (!this.stopped && this.now() > this.until) this.lose();
      },
    );
  }

  /**
   * Ends the keeping once the job's run is over: the answer of a heartbeat still in flight is
   * ignored (a refusal arriving then must not stop the next job the worker runs).
   */
  stop(): void {
    this.stopped = true;
  }

  private lose(): void {
    if (this.lost) return;
    this.lost = true;
    this.o.onLost();
  }
}
