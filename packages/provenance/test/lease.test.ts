import { describe, expect, it } from 'vitest';
import { LeaseKeeper } from '../src/lease.js';

/** A lease of 1000 ms on a fake clock, whose heartbeats the test answers one by one. */
function fakeLease() {
  let t = 0;
  const answers: { resolve: (ok: boolean) => void; reject: (e: Error) => void }[] = [];
  let lost = 0;
  const lease = new LeaseKeeper({
    leaseMs: 1000,
    now: () => t,
    heartbeat: () => new Promise<boolean>((resolve, reject) => answers.push({ resolve, reject })),
    onLost: () => lost++,
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    lease,
    answers,
    lost: () => lost,
    at: (ms: number) => (t = ms),
    /** Answers the oldest unanswered heartbeat and lets its callbacks run. */
    answer: async (ok: boolean | Error) => {
      const a = answers.shift()!;
      if (ok instanceof Error) a.reject(ok);
      else a.resolve(ok);
      await settle();
    },
  };
}

describe('LeaseKeeper: the database, not late timers, decides when a lease is lost', () => {
  it('keeps the job after a stall far past the lease when the heartbeat is still accepted', async () => {
    const f = fakeLease();
    f.at(250);
    f.lease.tick();
    await f.answer(true);
    f.at(9000); // the event loop stalled for 9 leases (a loaded machine)
    f.lease.tick();
    expect(f.answers).toHaveLength(1);
    await f.answer(true); // no other worker took the job: the lease holds again
    f.at(9250);
    f.lease.tick();
    await f.answer(true);
    expect(f.lost()).toBe(0);
    expect(f.lease.isLost).toBe(false);
  });

  it('gives the job up as soon as a heartbeat is refused', async () => {
    const f = fakeLease();
    f.at(5000);
    f.lease.tick();
    await f.answer(false);
    expect(f.lost()).toBe(1);
    f.lease.tick();
    expect(f.answers).toHaveLength(0); // no heartbeat after the loss
  });

  it('sends one heartbeat at a time, and gives up one unanswered a whole lease after the lease ended', async () => {
    const f = fakeLease();
    f.at(250);
    f.lease.tick();
    f.at(500);
    f.lease.tick();
    f.at(2000);
    f.lease.tick();
    expect(f.answers).toHaveLength(1);
    expect(f.lost()).toBe(0);
    f.at(2001);
    f.lease.tick();
    expect(f.lost()).toBe(1);
    await f.answer(true); // a late acceptance does not bring it back
    expect(f.lease.isLost).toBe(true);
    expect(f.lost()).toBe(1);
  });

  it('rides out an unreachable database while the lease holds, and stops once it may have ended', async () => {
    const f = fakeLease();
    f.at(250);
    f.lease.tick();
    await f.answer(new Error('connect ECONNREFUSED'));
    expect(f.lost()).toBe(0);
    f.at(500);
    f.lease.tick();
    await f.answer(true); // sent at 500: the lease now runs to 1500
    f.at(1600);
    f.lease.tick();
    await f.answer(new Error('Connection terminated'));
    expect(f.lost()).toBe(1);
  });

  it('extends the lease from when the accepted heartbeat was sent, not from when it was answered', async () => {
    const f = fakeLease();
    f.at(250);
    f.lease.tick();
    f.at(900); // answered late: the lease runs to 1250, not 1900
    await f.answer(true);
    f.at(1300);
    f.lease.tick();
    await f.answer(new Error('Connection terminated'));
    expect(f.lost()).toBe(1);
  });

  it('ignores a refusal or an error that arrives after the run ended (it must not stop the next job)', async () => {
    const f = fakeLease();
    f.at(250);
    f.lease.tick();
    f.lease.stop(); // the job's run ended while its heartbeat was in flight
    await f.answer(false);
    f.at(5000);
    f.lease.tick();
    expect(f.answers).toHaveLength(0);
    const g = fakeLease();
    g.at(250);
    g.lease.tick();
    g.lease.stop();
    g.at(5000);
    await g.answer(new Error('connection terminated'));
    expect([f.lost(), g.lost()]).toEqual([0, 0]);
  });
});
