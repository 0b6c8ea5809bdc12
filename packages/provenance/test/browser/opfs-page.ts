// Runs in Chromium: the OPFS blob store's pieces — a result written through its writer from
// scratch files is encodeResult's bytes, ranges read back, an aborted writer leaves nothing.
import { OpfsBlobStore } from '../../src/blobs/opfs-blob-store.js';
import { encodeResult, openResultFile, writeResult } from '../../src/result-file.js';
import { ScratchPieces } from '../../src/pieces.js';

Object.assign(window, {
  async check(folder: string) {
    const blobs = new OpfsBlobStore(folder);
    const rows = 1001,
      cols = 3;
    const data = new Float32Array(rows * cols).map((_, i) => Math.sin(i * 0.37) * 1000);
    const t = new Float64Array(rows).map((_, i) => i / 1000);
    const expected = encodeResult(
      { arrays: { data: { data, shape: [rows, cols] }, t: { data: t, shape: [rows] } }, json: { a: 1 } },
      { key: 'k' },
    );
    const pieces = new ScratchPieces(blobs as never, 'r.sgr');
    const d = await pieces.open(Float32Array, [cols]);
    const ts = await pieces.open(Float64Array, []);
    for (let a = 0; a < rows; a += 100) {
      await d.append(data.slice(a * cols, Math.min(rows, a + 100) * cols));
      await ts.append(t.slice(a, Math.min(rows, a + 100)));
    }
    const w = await blobs.writer('r.sgr');
    await writeResult(w, { arrays: { data: d.done(), t: ts.done() }, json: { a: 1 } }, { key: 'k' });
    const beforeClose = await blobs.exists('r.sgr');
    await w.close();
    await pieces.discard();
    const bytes = await blobs.read('r.sgr');
    const same = bytes.length === expected.length && bytes.every((b, i) => b === expected[i]);
    const reader = await openResultFile((o, n) => blobs.readRange('r.sgr', o, n));
    const window_ = Array.from(await reader.read('data', 500, 503));
    const aborted = await blobs.writer('x.sgr');
    await aborted.write(new Uint8Array(100));
    await aborted.abort();
    return {
      beforeClose,
      same,
      window: window_.every((v, i) => v === data[500 * cols + i]) && window_.length === 3 * cols,
      left: (await blobs.list()).sort(),
    };
  },
});
(window as unknown as { ready: boolean }).ready = true;
