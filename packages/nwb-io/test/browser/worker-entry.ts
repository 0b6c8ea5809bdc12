// Runs inside a browser Web Worker (bundled by browser.test.ts): opens an NWB file from a File
// or a URL with the package's browser build and posts back what it read.
import { openNwb } from '../../src/index.js';

self.onmessage = async (e: MessageEvent<{ file?: File; url?: string }>) => {
  try {
    const nwb = await openNwb(e.data.file ?? e.data.url!);
    try {
      const raw = nwb.series('e-series').read({ rows: [100, 103], channels: [2, 3, 4], scale: 'raw' });
      (self as unknown as Worker).postMessage({
        identifier: nwb.metadata.identifier,
        groups: nwb.electrodes()!.groupNames,
        units: nwb.units()!.spikeTimes.length,
        window: Array.from(raw.data),
        transfer: nwb.transfer() ?? null,
        workerfs: typeof (self as unknown as { FileReaderSync?: unknown }).FileReaderSync !== 'undefined',
      });
    } finally {
      nwb.close();
    }
  } catch (err) {
    (self as unknown as Worker).postMessage({ error: String((err as Error)?.message ?? err) });
  }
};
