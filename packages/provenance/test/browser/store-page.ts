// Runs in Chromium: the embedded store on IndexedDB, through the package's openStore.
import { openStore, type Activity } from '../../src/index.js';

const activity = (key: string): Activity => ({
  key,
  step: 'lfp',
  version: { package: '@spyglass-wasm/dsp-wasm', packageVersion: '0.1.0', wasm: {} },
  params: { targetFs: 1000 },
  paramsHash: 'blake3:p',
  inputs: { raw: 'file:blake3:f' },
  outputs: [`result:${key}`],
  startedAt: new Date(0).toISOString(),
  endedAt: new Date(1).toISOString(),
  agent: 'browser-test',
  runtime: { platform: navigator.platform, runtime: 'browser' },
});

Object.assign(window, {
  /** First page load: record a result. */
  async record(name: string) {
    const store = await openStore({ store: `idb://${name}`, resultsDir: 'results' });
    const committed = await store.commitResult(
      [{ id: 'file:blake3:f', kind: 'file', label: 'session.nwb', checksum: 'blake3:f' }],
      activity('blake3:k1'),
      { key: 'blake3:k1', step: 'lfp', file: 'lfp-k1.sgr', checksum: 'blake3:c1', summary: { channels: 8 } },
    );
    await store.close();
    return committed;
  },
  /** A later page load: the result is there, with its lineage. */
  async lookup(name: string) {
    const store = await openStore({ store: `idb://${name}`, resultsDir: 'results' });
    const r = await store.getResult('blake3:k1');
    const lineage = await store.lineage('blake3:k1');
    await store.close();
    return {
      status: r?.status,
      summary: r?.summary,
      step: r?.activity?.step,
      inputs: r?.activity?.inputs,
      lineage: lineage.map((x) => x.key),
      missing:
        (await (await openStore({ store: `idb://${name}-other`, resultsDir: 'results' })).getResult('blake3:k1')) ??
        null,
    };
  },
});
(window as unknown as { ready: boolean }).ready = true;
