import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParameterError } from '@spyglass-wasm/core';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { simulateReplayDay, simulateRestRunSession, writeSessionNwb } from '@spyglass-wasm/sim';

const tmp = mkdtempSync(join(os.tmpdir(), 'sim-nwb-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const validator = fileURLToPath(new URL('../../nwb-io/scripts/validate-nwb.py', import.meta.url));
const hasHdmf = spawnSync('/usr/bin/python3', ['-c', 'import hdmf, h5py']).status === 0;

describe('writeSessionNwb', () => {
  const session = simulateRestRunSession({
    seed: 4,
    seconds: 3,
    nTetrodes: 2,
    unitsPerTetrode: 2,
    restSeconds: [1.5, 1.5],
    tracking: { dropRate: 0.1 },
  });
  const path = join(tmp, 'rest-run.nwb');

  beforeAll(async () => {
    expect(await writeSessionNwb(session, path)).toBe(path);
  });

  it('writes raw, position, epochs and units that read back equal', async () => {
    const nwb = await openNwb(path);
    try {
      const [raw] = nwb.electricalSeries();
      expect(raw).toMatchObject({ path: '/acquisition/e-series', shape: [90000, 8], dtype: '<h', unit: 'volts' });
      expect(nwb.electrodes()!.groupNames).toEqual([
        'tetrode0',
        'tetrode0',
        'tetrode0',
        'tetrode0',
        'tetrode1',
        'tetrode1',
        'tetrode1',
        'tetrode1',
      ]);
      const back = nwb.series('e-series').read({ rows: [40000, 40010] });
      const rec = session.recording!;
      // 0.195 µV steps
      for (let i = 0; i < 10 * 8; i++) expect(back.data[i] * 1e6).toBeCloseTo(rec.data[40000 * 8 + i], 0);

      const [pos] = nwb.position();
      expect(pos).toMatchObject({ path: '/processing/behavior/Position/position', unit: 'meters' });
      expect(pos.data.cols).toBe(4);
      expect(Array.from(pos.timestamps)).toEqual(Array.from(session.position.times));
      for (let i = 0; i < pos.data.rows; i++) {
        const front = session.position.front.data,
          backLed = session.position.back.data;
        if (Number.isNaN(front[2 * i])) {
          expect(pos.data.data[4 * i]).toBeNaN();
          continue;
        }
        expect(pos.data.data[4 * i]).toBeCloseTo(front[2 * i] / 100, 12);
        expect(pos.data.data[4 * i + 3]).toBeCloseTo(backLed[2 * i + 1] / 100, 12);
      }

      const epochs = nwb.intervals().find((t) => t.name === 'epochs')!;
      expect(epochs.path).toBe('/intervals/epochs');
      expect(epochs.intervals).toEqual([[0, 3]]);
      expect(epochs.columns.tags.values).toEqual([['rest_run', 'linear_track']]);

      const units = nwb.units()!;
      expect(units.spikeTimes.map((s) => Array.from(s))).toEqual(
        session.truth.units.map((u) => Array.from(u.spikeTimes)),
      );
      expect(units.electrodeGroups).toEqual(['tetrode0', 'tetrode0', 'tetrode1', 'tetrode1']);
    } finally {
      nwb.close();
    }
  });

  it.runIf(hasHdmf)('validates against the cached NWB specifications', () => {
    const r = spawnSync('/usr/bin/python3', [validator, path], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout.trim()).errors).toEqual([]);
  });

  it('writes a replay day (spikes level) with its epochs, position in pixels and separate LEDs', async () => {
    const day = simulateReplayDay({
      seed: 1,
      nUnits: 6,
      epochs: [
        { name: 'sleep1', kind: 'sleep', seconds: 5 },
        { name: 'run1', kind: 'run', seconds: 10 },
      ],
    });
    const bytes = (await writeSessionNwb(day, null, {
      positionUnit: 'pixels',
      cmPerPixel: 0.4,
      ledLayout: 'separate',
      identifier: 'day-1',
    })) as Uint8Array;
    const nwb = await openNwb(bytes);
    try {
      expect(nwb.metadata.identifier).toBe('day-1');
      expect(nwb.electricalSeries()).toEqual([]);
      const leds = nwb.position();
      expect(leds.map((p) => [p.name, p.unit, p.data.cols])).toEqual([
        ['led_back', 'pixels', 2],
        ['led_front', 'pixels', 2],
      ]);
      const front = leds.find((p) => p.name === 'led_front')!;
      const i = day.position.times.length - 1;
      expect(front.data.data[2 * i]).toBeCloseTo(day.position.front.data[2 * i] / 0.4, 9);
      const epochs = nwb.intervals().find((t) => t.name === 'epochs')!;
      expect(epochs.intervals).toEqual([
        [0, 5],
        [5, 15],
      ]);
      expect(epochs.columns.tags.values).toEqual([
        ['sleep1', 'rest_box'],
        ['run1', 'linear_track'],
      ]);
      expect(nwb.units()!.spikeTimes.length).toBe(6);
    } finally {
      nwb.close();
    }
  });

  it('throws a ParameterError for pixels without a scale', async () => {
    const s = simulateRestRunSession({ seed: 1, seconds: 2, raw: false });
    await expect(writeSessionNwb(s, null, { positionUnit: 'pixels' })).rejects.toThrow(ParameterError);
    await expect(writeSessionNwb(s, null, { ledLayout: 'both' as 'combined' })).rejects.toThrow(/ledLayout/);
  });
});
