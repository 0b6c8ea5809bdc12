import { isNode } from '@spyglass-wasm/core';
import { NwbWriter } from '@spyglass-wasm/nwb-io';
import { resultReader, type AnalysisFileWriter, type ResultData, type ResultReader } from '@spyglass-wasm/provenance';
import type { SessionInfo } from '../session/session.js';
import { compareNwbFiles } from './compare-nwb.js';
import { nodeFsPromises, nodeOs } from '../platform.node.js';

/**
 * A step's analysis file as NWB: the source session's fields, the step's own NWB objects (`add`)
 * and the provenance record as JSON under /analysis/spyglass_provenance. Written to a scratch file
 * (Node) and handed to the engine in slices, or in memory (browsers); results without session
 * fields write none. `add` reads arrays the step wrote in pieces from `stored`, in windows.
 *
 * @example
 * const lfpStep = { ..., analysisFile: analysisNwb('lfp', (d, w) => w.addElectricalSeries(...)) };
 */
export function analysisNwb(
  stepName: string,
  add: (data: ResultData, writer: NwbWriter, stored: ResultReader) => void | Promise<void>,
): AnalysisFileWriter {
  return {
    extension: '.nwb',
    compare: compareNwbFiles,
    async write(data, provenance, stored) {
      const session = data.json.session as SessionInfo | undefined;
      if (!session) return undefined;
      // Node's h5wasm writes to the real file system: a private temporary file, read back and removed
      const scratch = isNode ? await scratchPath() : null;
      const w = await NwbWriter.create(scratch, {
        identifier: `${session.identifier}:${stepName}:${provenance.key}`,
        sessionDescription: `${stepName} analysis of: ${session.sessionDescription}`,
        sessionStartTime: session.sessionStartTime,
      });
      try {
        await add(data, w, stored ?? resultReader(data));
        w.setProvenance(provenance);
      } catch (err) {
        await w.abort();
        throw err;
      }
      const out = await w.close();
      if (typeof out !== 'string') return out;
      return fileSlices(out);
    },
  };
}

/** A scratch file's bytes in 4 MiB slices, the file removed once read (or abandoned). */
async function* fileSlices(path: string): AsyncGenerator<Uint8Array> {
  const { open, rm } = await nodeFsPromises();
  try {
    const fh = await open(path, 'r');
    try {
      const buf = new Uint8Array(1 << 22);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await fh.close();
    }
  } finally {
    await rm(path, { force: true });
  }
}

async function scratchPath(): Promise<string> {
  const { tmpdir } = await nodeOs();
  return `${tmpdir()}/spyglass-analysis-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2)}.nwb`;
}
