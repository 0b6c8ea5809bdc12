import { ParameterError, checkChoice } from '@spyglass-wasm/core';
import { NwbWriter } from '@spyglass-wasm/nwb-io';
import type { LedTracking } from '../position/track-leds.js';
import type { ElectrodeGroupInfo, RawRecording, RawRecordingStream, TetrodeUnit } from '../session/render-tetrodes.js';
import type { SessionEpoch } from '../session/rest-run-session.js';

/** What writeSessionNwb needs of a session (simulateRestRunSession and simulateReplayDay give it). */
export interface WritableSession {
  description: string;
  electrodeGroups: ElectrodeGroupInfo[];
  recording?: RawRecording;
  /** The recording as a stream (`raw: 'stream'`): written a second at a time, never held whole. */
  recordingStream?: RawRecordingStream;
  position?: LedTracking;
  epochs?: SessionEpoch[];
  truth?: { units?: readonly TetrodeUnit[] };
}

export interface WriteSessionOptions {
  identifier?: string;
  /**
   * ISO 8601 with time zone; default 2024-01-01T09:00:00+00:00 (fixed, so files differ only by their object ids and
   * dates).
   */
  sessionStartTime?: string;
  /** Position in meters (default) or in camera pixels (unit 'pixels'; needs the tracking's or this cmPerPixel). */
  positionUnit?: 'meters' | 'pixels';
  cmPerPixel?: number;
  /**
   * 'combined' (default): one SpatialSeries `position`, frames × 4 (front x, front y, back x, back y),
   * as Spyglass reads two-LED tracking (xloc, yloc, xloc2, yloc2); 'separate': `led_front` and `led_back`.
   */
  ledLayout?: 'combined' | 'separate';
  /** Raw samples as int16 at 0.195 µV per bit (default, as Intan headstages) or float32 µV. */
  rawDtype?: 'int16' | 'float32';
  /** Write the truth units as the Units table (default true). */
  units?: boolean;
}

const UV_PER_BIT = 0.195;

/**
 * Writes a simulated session as NWB: electrodes (one group per tetrode), the raw recording as
 * /acquisition/e-series, the tracked LEDs as a Position/SpatialSeries in processing/behavior,
 * the epochs (interval and tags) as /intervals/epochs and the truth units as /units, so the CLI
 * and pipelines run on it. `path` null writes in memory and returns the bytes. A session's
 * `recordingStream` is rendered and written one-second chunk by chunk (int16, gzip), so a long
 * session needs memory for a chunk, not for the recording; the file is the one `recording` gives.
 *
 * @example
 * const session = simulateRestRunSession({ seed: 1, seconds: 10 });
 * await writeSessionNwb(session, '/tmp/rest-run.nwb');
 */
export async function writeSessionNwb(
  session: WritableSession,
  path: string | null,
  options: WriteSessionOptions = {},
): Promise<Uint8Array | string> {
  const layout = checkChoice('ledLayout', options.ledLayout ?? 'combined', ['combined', 'separate'] as const);
  const dtype = checkChoice('rawDtype', options.rawDtype ?? 'int16', ['int16', 'float32'] as const);
  const unit = checkChoice('positionUnit', options.positionUnit ?? 'meters', ['meters', 'pixels'] as const);
  const w = await NwbWriter.create(path, {
    identifier: options.identifier ?? session.description.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80),
    sessionDescription: session.description,
    sessionStartTime: options.sessionStartTime ?? '2024-01-01T09:00:00+00:00',
    experimenter: ['Simulator, Seeded'],
    lab: 'Spyglass-Wasm simulator',
    institution: 'none (simulated)',
  });
  try {
    writeElectrodes(w, session.electrodeGroups);
    if (session.recording && session.recordingStream)
      throw new ParameterError('session', 'a recording or a recordingStream, not both', 'both');
    if (session.recording) writeRaw(w, inBlocks(session.recording), dtype);
    if (session.recordingStream) writeRaw(w, session.recordingStream, dtype);
    if (session.position) writePosition(w, session.position, unit, layout, options.cmPerPixel);
    if (session.epochs?.length) writeEpochs(w, session.epochs);
    const units = session.truth?.units;
    if (options.units !== false && units?.length) {
      w.addUnits({
        spikeTimes: units.map((u) => u.spikeTimes),
        electrodeGroups: units.map((u) => session.electrodeGroups[u.tetrode].name),
        columns: { quality: { values: units.map(() => 'good'), description: 'simulated ground truth' } },
        description: 'ground-truth units of the simulation',
      });
    }
  } catch (e) {
    await w.abort();
    throw e;
  }
  return w.close();
}

function writeElectrodes(w: NwbWriter, groups: ElectrodeGroupInfo[]): void {
  const channels = groups.reduce((n, g) => n + g.channels.length, 0);
  const group = new Array<string>(channels),
    relX = new Float64Array(channels),
    relY = new Float64Array(channels);
  groups.forEach((g, t) =>
    g.channels.forEach((ch, k) => {
      group[ch] = g.name;
      // A tetrode's four wires on a 20 µm square; tetrodes 300 µm apart along x.
      relX[ch] = 300 * t + 20 * (k % 2);
      relY[ch] = 20 * Math.floor(k / 2);
    }),
  );
  w.addElectrodes({
    groups: groups.map((g) => ({
      name: g.name,
      location: g.location,
      device: 'tetrode_drive',
      description: `tetrode ${g.name}`,
    })),
    group,
    x: relX,
    y: relY,
    z: new Float64Array(channels),
    columns: {
      rel_x: { values: relX, description: 'x within the drive (µm)' },
      rel_y: { values: relY, description: 'y within the drive (µm)' },
    },
  });
}

/** A recording held in memory, read as the stream of its one-second blocks (views, no copy). */
function inBlocks(rec: RawRecording): Pick<RawRecordingStream, 'channels' | 'fs' | 'startTime' | 'chunks'> {
  return {
    channels: rec.channels,
    fs: rec.fs,
    startTime: rec.startTime,
    *chunks(block = Math.max(1, Math.round(rec.fs))) {
      for (let r = 0; r < rec.rows; r += block) {
        const rows = Math.min(block, rec.rows - r);
        const data = rec.data.subarray(r * rec.channels, (r + rows) * rec.channels);
        yield { ...rec, data, rows, startTime: rec.startTime + r / rec.fs };
      }
    },
  };
}

/** The raw recording chunk by chunk, one gzip chunk per second (int16 conversion per chunk). */
function writeRaw(
  w: NwbWriter,
  rec: Pick<RawRecordingStream, 'channels' | 'fs' | 'startTime' | 'chunks'>,
  dtype: 'int16' | 'float32',
): void {
  const block = Math.max(1, Math.round(rec.fs));
  const part = (c: RawRecording) => {
    const data = dtype === 'float32' ? c.data : toInt16(c.data);
    return { data, rows: c.rows, cols: rec.channels };
  };
  const empty = { data: new Float32Array(0), rows: 0, channels: rec.channels, fs: rec.fs, startTime: rec.startTime };
  let app: ReturnType<NwbWriter['addElectricalSeries']> | undefined;
  const start = (first: RawRecording) =>
    w.addElectricalSeries({
      name: 'e-series',
      acquisition: true,
      data: part(first),
      rate: rec.fs,
      startingTime: rec.startTime,
      electrodes: Array.from({ length: rec.channels }, (_, i) => i),
      conversion: dtype === 'float32' ? 1e-6 : UV_PER_BIT * 1e-6,
      unit: 'volts',
      description: 'simulated raw extracellular recording (tetrodes)',
      chunkRows: block,
    });
  for (const chunk of rec.chunks(block)) {
    if (app) app.append(part(chunk));
    else app = start(chunk);
  }
  if (!app) start(empty);
}

function writePosition(
  w: NwbWriter,
  pos: LedTracking,
  unit: 'meters' | 'pixels',
  layout: 'combined' | 'separate',
  cmPerPixelOption?: number,
): void {
  const cmPerPixel = cmPerPixelOption ?? pos.cmPerPixel;
  if (unit === 'pixels' && !(cmPerPixel && cmPerPixel > 0))
    throw new ParameterError(
      'cmPerPixel',
      'a positive cm per pixel (tracking in cm, positionUnit pixels)',
      cmPerPixelOption,
    );
  // from the tracking's unit to the file's
  const toCm = pos.unit === 'pixels' ? pos.cmPerPixel! : 1;
  const scale = unit === 'meters' ? toCm / 100 : toCm / cmPerPixel!;
  const n = pos.times.length;
  const frame =
    unit === 'meters'
      ? 'meters from the camera frame corner; the linear track lies along x'
      : `camera pixels (1 px = ${cmPerPixel} cm) from the frame corner`;
  const series = (name: string, cols: Float64Array[], what: string) => {
    const data = new Float64Array(n * cols.length * 2);
    for (let i = 0; i < n; i++)
      cols.forEach(
        (c, k) => (
          (data[(i * cols.length + k) * 2] = c[2 * i] * scale),
          (data[(i * cols.length + k) * 2 + 1] = c[2 * i + 1] * scale)
        ),
      );
    w.addTimeSeries({
      name,
      module: 'behavior',
      container: 'Position',
      unit,
      timestamps: pos.times,
      data: { data, rows: n, cols: cols.length * 2 },
      description: `${what}, tracked by camera (NaN where the tracker lost the LEDs)`,
      spatial: { referenceFrame: frame },
    });
  };
  if (layout === 'combined')
    series('position', [pos.front.data, pos.back.data], 'front LED (x, y) and back LED (x, y)');
  else {
    series('led_front', [pos.front.data], 'front LED (x, y)');
    series('led_back', [pos.back.data], 'back LED (x, y)');
  }
}

function writeEpochs(w: NwbWriter, epochs: SessionEpoch[]): void {
  w.addTimeIntervals({
    name: 'epochs',
    description: 'experimental epochs',
    start: epochs.map((e) => e.start),
    stop: epochs.map((e) => e.stop),
    columns: { tags: { values: epochs.map((e) => e.tags), description: 'user-defined tags' } },
  });
}

/**
 * µV to int16 counts, rounded and clipped: a plain loop, ~4× faster than Int16Array.from with a
 * mapping callback (which was a quarter of writing a 128-channel session).
 */
function toInt16(uv: Float32Array): Int16Array {
  const out = new Int16Array(uv.length);
  for (let i = 0; i < uv.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(uv[i] / UV_PER_BIT)));
  return out;
}
