import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NwbFormatError } from '@spyglass-wasm/core';
import { openNwb } from '../src/index.js';
import { fixture } from './fixtures.js';
import { serveFiles } from './http-server.js';

let server: Awaited<ReturnType<typeof serveFiles>>;
beforeAll(async () => {
  server = await serveFiles(fileURLToPath(new URL('./fixtures/', import.meta.url)), {
    fail: ['/no-ranges.nwb'],
    // DANDI's asset URLs (…/assets/<id>/download/) answer 302 to the object store holding the file
    redirect: { '/api/assets/0f4e/download/': '/tetrode-session.nwb' },
  });
});
afterAll(() => server.close());

describe('reading over HTTP with Range requests (lazy, chunk-cached)', () => {
  it('reads metadata and a window of an 11 MB file fetching only a small part of it', async () => {
    const nwb = await openNwb(`${server.url}/tetrode-session.nwb`, { blockSize: 32 * 1024 });
    const local = await openNwb(fixture('tetrode-session.nwb'));
    try {
      expect(nwb.metadata.identifier).toBe(local.metadata.identifier);
      expect(nwb.electrodes()!.groupNames).toEqual(local.electrodes()!.groupNames);
      const remote = nwb.series('e-series').read({ rows: [60000, 60100], channels: [0, 5], scale: 'raw' });
      const here = local.series('e-series').read({ rows: [60000, 60100], channels: [0, 5], scale: 'raw' });
      expect(Array.from(remote.data)).toEqual(Array.from(here.data));
      const t = nwb.transfer()!;
      const size = statSync(fixture('tetrode-session.nwb')).size;
      expect(t.size).toBe(size);
      expect(t.bytes).toBeLessThan(size / 5); // one gzip chunk (30000 × 8 int16) plus metadata
      expect(t.requests).toBe(server.stats.requests);
      console.log(
        `remote window read: ${t.requests} requests, ${t.bytes} of ${size} bytes (${((100 * t.bytes) / size).toFixed(1)}%)`,
      );
      // The same window again comes from the caches: no new request.
      nwb.series('e-series').read({ rows: [60000, 60100], channels: [0, 5], scale: 'raw' });
      expect(nwb.transfer()!.requests).toBe(t.requests);
    } finally {
      nwb.close();
      local.close();
    }
  });

  it('opens with one request for the first 64 KiB and reads a chunk of many blocks in one request', async () => {
    const nwb = await openNwb(`${server.url}/tetrode-session.nwb`, { blockSize: 8 * 1024 });
    try {
      const opened = nwb.transfer()!;
      // the size and the first 64 KiB (eight blocks, seeded into the cache) come in one request
      expect(opened.bytes).toBe(64 * 1024 + opened.blocks * 8 * 1024);
      expect(opened.requests).toBeLessThanOrEqual(1 + opened.blocks);
      nwb.series('e-series').read({ rows: [0, 300000], channels: [0], scale: 'raw' }); // ten chunks
      const t = nwb.transfer()!;
      const blocks = t.blocks - opened.blocks,
        requests = t.requests - opened.requests;
      console.log(`10 chunks: ${requests} requests for ${blocks} blocks of 8 KiB`);
      expect(requests).toBeLessThan(blocks / 4);
    } finally {
      nwb.close();
    }
  });

  it('follows a DANDI-style asset URL redirected to the file, reading it lazily as the same file', async () => {
    const nwb = await openNwb(`${server.url}/api/assets/0f4e/download/`);
    const local = await openNwb(fixture('tetrode-session.nwb'));
    try {
      expect(nwb.metadata.identifier).toBe(local.metadata.identifier);
      const remote = nwb.series('e-series').read({ rows: [1000, 1100], channels: [0, 3], scale: 'raw' });
      const here = local.series('e-series').read({ rows: [1000, 1100], channels: [0, 3], scale: 'raw' });
      expect(Array.from(remote.data)).toEqual(Array.from(here.data));
      const t = nwb.transfer()!;
      expect(t.size).toBe(statSync(fixture('tetrode-session.nwb')).size);
      expect(t.bytes).toBeLessThan(t.size / 5);
    } finally {
      nwb.close();
      local.close();
    }
  });

  it('reads units and position of another file through a URL object', async () => {
    const nwb = await openNwb(new URL(`${server.url}/linear-track-units.nwb`));
    try {
      expect(nwb.units()!.spikeTimes.length).toBe(40);
      expect(nwb.position()[0].data.rows).toBe(27000);
    } finally {
      nwb.close();
    }
  });

  it('reports a missing file, a server without ranges and a non-HDF5 file as NwbFormatError', async () => {
    await expect(openNwb(`${server.url}/nope.nwb`)).rejects.toThrow(NwbFormatError);
    await expect(openNwb(`${server.url}/no-ranges.nwb`)).rejects.toThrow(/Range requests \(status 500\)/);
    await expect(openNwb(`${server.url}/README.md`)).rejects.toThrow(/README\.md: \/: expected an HDF5 file/);
    expect(server.stats.bytes).toBeGreaterThan(0);
  });
});
