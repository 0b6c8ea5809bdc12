import type { RestRunSession } from '@spyglass-wasm/sim';

/** The session's tracking without the camera frames in [start, end): a tracker that wrote nothing there. */
export function dropFrames(position: RestRunSession['position'], start: number, end: number) {
  const keep = [...position.times.keys()].filter((i) => !(position.times[i] >= start && position.times[i] < end));
  const rows = (m: { data: Float64Array }) => ({
    data: Float64Array.from(keep.flatMap((i) => [m.data[2 * i], m.data[2 * i + 1]])),
    rows: keep.length,
    cols: 2,
  });
  return {
    ...position,
    times: Float64Array.from(keep, (i) => position.times[i]),
    front: rows(position.front),
    back: rows(position.back),
  };
}
