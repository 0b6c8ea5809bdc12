// The worker thread a job's step runs in (runWorker starts it): it imports the steps module,
// runs one job at a time through a ResultRepository whose calls go to the main thread, and
// answers with the job's result or error. The main thread keeps heartbeating meanwhile.
import { parentPort } from 'node:worker_threads';
import type { BlobStore } from './blobs/blob-store.js';
import { FsBlobStore } from './blobs/fs-blob-store.js';
import type { Step } from './step.js';
import type { ResultRepository } from './store/interfaces.js';
import type { JobPayload } from './store/job-queue.js';
import { runPayload, STEPS_MODULE_ERROR, type ThreadCall, type ThreadReply, type ThreadRequest } from './job-run.js';

const port = parentPort!;
let nextCall = 0;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function call(target: 'repo' | 'blobs', method: string, args: unknown[]): Promise<never> {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    port.postMessage({ type: 'call', id, target, method, args } satisfies ThreadCall);
  });
}

function remoteRepository(
  location: string,
  durable: boolean,
  blobsLocation: string,
  localDir: string | undefined,
): ResultRepository {
  // a folder store is shared with this thread: pieces, range reads and written-in-pieces files go to it directly
  const local = localDir !== undefined ? new FsBlobStore(localDir) : undefined;
  const blobs: BlobStore = {
    location: blobsLocation,
    ...(local
      ? {
          writer: (name, options) => local.writer(name, options),
          scratch: (name) => local.scratch(name),
          readRange: (name, offset, length) => local.readRange(name, offset, length),
        }
      : {}),
    write: (name, bytes, options) => call('blobs', 'write', [name, bytes, options]),
    read: (name) => call('blobs', 'read', [name]),
    exists: (name) => call('blobs', 'exists', [name]),
    remove: (name) => call('blobs', 'remove', [name]),
    list: () => call('blobs', 'list', []),
    ...(localDir !== undefined ? { localPath: (name: string) => `${localDir}/${name}` } : {}),
  };
  const method =
    (name: string) =>
    (...args: unknown[]) =>
      call('repo', name, args);
  return {
    blobs,
    location,
    durable,
    getResult: method('getResult'),
    findResults: method('findResults'),
    getEntity: method('getEntity'),
    fileChecksum: method('fileChecksum'),
    commitResult: method('commitResult'),
    invalidate: method('invalidate'),
    lineage: method('lineage'),
  };
}

let steps: Promise<Record<string, Step>> | undefined;

port.on('message', async (msg: ThreadRequest | ThreadReply) => {
  if (msg.type === 'reply') {
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.error) w?.reject(Object.assign(new Error(msg.error.message), { name: msg.error.name }));
    else w?.resolve(msg.value);
    return;
  }
  steps ??= import(msg.stepsModule).then((m: { STEPS?: Record<string, Step> }) => {
    if (!m.STEPS) throw new Error('it exports no STEPS');
    return m.STEPS;
  });
  const loaded = await steps.catch((err: Error) => err);
  if (loaded instanceof Error) {
    // not the job's fault: the worker gives the job back and stops
    port.postMessage({ type: 'done', error: { name: STEPS_MODULE_ERROR, message: loaded.message } });
    return;
  }
  try {
    const repo = remoteRepository(msg.location, msg.durable, msg.blobsLocation, msg.localDir);
    const value = await runPayload(repo, msg.jobId, msg.payload as JobPayload, loaded, { threads: msg.threads });
    port.postMessage({ type: 'done', value });
  } catch (err) {
    port.postMessage({
      type: 'done',
      error: { name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) },
    });
  }
});
