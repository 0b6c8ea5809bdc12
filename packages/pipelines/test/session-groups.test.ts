// The session adapter's electrode groups: channels of the raw series and their positions as a Matrix.
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openNwb } from '@spyglass-wasm/nwb-io';
import { Session } from '../src/index.js';

const fixture = fileURLToPath(new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url));

it('each group has its channels and their positions (channels × coordinates, µm) from the electrodes table', async () => {
  const nwb = await openNwb(fixture);
  try {
    const { groups } = new Session(nwb).groups();
    const electrodes = nwb.electrodes()!;
    const relX = electrodes.columns.rel_x.values as Float64Array;
    const relY = electrodes.columns.rel_y.values as Float64Array;
    expect(groups.map((g) => g.name)).toEqual(['tetrode0', 'tetrode1']);
    for (const g of groups) {
      expect(g.positions).toMatchObject({ rows: g.channels.length, cols: 2 });
      // the rows follow the group's channels (here the raw series' columns are the electrodes' rows)
      expect(Array.from(g.positions!.data)).toEqual(g.channels.flatMap((c) => [relX[c], relY[c]]));
    }
  } finally {
    nwb.close();
  }
});
