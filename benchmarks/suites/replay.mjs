// Replay: time per candidate event to decode (continuous/fragmented, 2 ms bins) and score it
// (replayScore with 500 position-rotation shuffles), on a simulated sleep/run/sleep day, beside
// the accuracy of the events found (start/end within 30 cm of the true sweep, direction right).
import { decodeSortedSpikes, fitSortedSpikes, replayScore } from '@spyglass-wasm/decoding';
import { simulateReplayDay } from '@spyglass-wasm/sim';
import { versus } from '../lib/harness.mjs';

export const name = 'replay';

export async function run() {
  const day = simulateReplayDay({ seed: 5 });
  const run1 = day.epochs.find((e) => e.name === 'run1');
  const { times, trackPositionCm } = day.truth.position;
  const spikes = day.units.map((u) => u.spikeTimes);
  const model = fitSortedSpikes(
    {
      position: { data: trackPositionCm, rows: times.length, cols: 1 },
      positionTimes: times,
      interval: [run1.start, run1.stop],
    },
    spikes,
  );
  const events = day.truth.ripples.filter((r) => r.epoch === 'sleep2');
  decodeSortedSpikes(model, spikes, {
    start: events[0].start,
    stop: events[0].end,
    stateSpace: 'continuous-fragmented',
  }); // warm up
  let decodeMs = 0,
    scoreMs = 0,
    bins = 0,
    right = 0,
    replays = 0,
    eventSeconds = 0;
  for (const [i, e] of events.entries()) {
    const t0 = performance.now();
    const r = decodeSortedSpikes(model, spikes, { start: e.start, stop: e.end, stateSpace: 'continuous-fragmented' });
    const t1 = performance.now();
    const s = replayScore(r.positionPosterior, r.env.centers.data, { shuffles: 500, seed: i + 1, binSize: 0.002 });
    scoreMs += performance.now() - t1;
    decodeMs += t1 - t0;
    bins += r.time.length;
    eventSeconds += e.end - e.start;
    if (e.replay) {
      replays++;
      if (
        s.pValue < 0.05 &&
        s.direction === e.replay.direction &&
        Math.abs(s.startPosition - e.replay.start_position_cm) <= 30 &&
        Math.abs(s.endPosition - e.replay.end_position_cm) <= 30
      )
        right++;
    }
  }
  const n = events.length;
  return {
    tables: [
      {
        title: `replay per candidate event (${n} events in sleep2, ${(bins / n).toFixed(0)} bins of 2 ms each on average, ${model.env.nBins} position bins, ${spikes.length} cells)`,
        rows: [
          { part: 'decode (continuous/fragmented, filter + smoother)', 'ms per event': decodeMs / n },
          { part: 'score (weighted correlation + 500 shuffles)', 'ms per event': scoreMs / n },
          { part: 'total', 'ms per event': (decodeMs + scoreMs) / n },
        ],
      },
    ],
    summary: [
      versus(
        'replay per candidate event (decode + 500 shuffles)',
        (decodeMs + scoreMs) / n / 1000,
        'real time (event length)',
        eventSeconds / n,
      ),
    ],
    notes: [`true replays found with start/end within 30 cm and the right direction: ${right} of ${replays}`],
  };
}
