// A file given as a Blob (a browser's File, a URL fetched whole) is the same input as the file on
// disk: same entity id, same result key, same result, while the step reads the Blob itself.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blobEntity,
  fileEntity,
  hashBlob,
  hashFile,
  loadResult,
  openStore,
  resultDigest,
  runStep,
  type Store,
} from '@spyglass-wasm/provenance';
import { lfpStep, positionStep } from '../src/index.js';

const SESSION = new URL('../../nwb-io/test/fixtures/tetrode-session.nwb', import.meta.url).pathname;

describe('Blob inputs', () => {
  const stores: Store[] = [];
  let bytes: Uint8Array<ArrayBuffer>;
  beforeAll(async () => {
    bytes = new Uint8Array(readFileSync(SESSION));
    for (let i = 0; i < 2; i++) stores.push(await openStore({ store: 'memory://' }));
  });
  afterAll(async () => Promise.all(stores.map((s) => s.close())));

  it('hashes a Blob in slices to the checksum of the file', async () => {
    const blob = new Blob([bytes]);
    expect(await hashBlob(blob, 1000_003)).toBe(await hashFile(SESSION));
    const [fromBlob, fromFile] = [await blobEntity(blob, 'tetrode-session.nwb'), await fileEntity(SESSION)];
    expect(fromBlob).toMatchObject({
      id: fromFile.id,
      kind: 'file',
      label: 'tetrode-session.nwb',
      checksum: fromFile.checksum,
    });
    expect(fromBlob.path).toBeUndefined();
  });

  it('gives a step run on the Blob the key and result of the run on the path', async () => {
    const [onPath, onBlob] = stores;
    const a = await runStep(onPath, lfpStep, { raw: { file: SESSION } }, { analysisFile: false });
    const progress: number[] = [];
    const b = await runStep(
      onBlob,
      lfpStep,
      { raw: { blob: new Blob([bytes]), name: 'tetrode-session.nwb' } },
      { analysisFile: false, onProgress: (f) => progress.push(f) },
    );
    expect(b).toMatchObject({ key: a.key, cached: false });
    expect(await resultDigest(await loadResult(onBlob, b.result))).toBe(
      await resultDigest(await loadResult(onPath, a.result)),
    );
    expect(progress.at(-1)).toBe(1);
    expect(b.result.summary).toEqual(a.result.summary);
    const p = await runStep(onBlob, positionStep, { session: { blob: new Blob([bytes]) } }, { analysisFile: false });
    expect(p.key).toBe(
      (await runStep(onPath, positionStep, { session: { file: SESSION } }, { analysisFile: false })).key,
    );
    expect(await runStep(onBlob, lfpStep, { raw: { blob: new Blob([bytes]) } })).toMatchObject({
      key: a.key,
      cached: true,
    });
  }, 120_000);
});
