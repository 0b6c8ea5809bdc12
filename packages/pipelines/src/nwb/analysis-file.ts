import { isNode } from '@spyglass-wasm/core';
import { NwbWriter } from '@spyglass-wasm/nwb-io';
import type { AnalysisFileWriter, ResultData } from '@spyglass-wasm/provenance';
import type { SessionInfo } from '../session/session.js';
import { compareNwbFiles } from './compare-nwb.js';
import { nodeFsPromises, nodeOs } from '../platform.node.js';

/**
 * A step's analysis file as NWB: the source session's fields, the step's own NWB objects (`add`)
 * and the provenance record as JSON under /analysis/spyglass_provenance. Written in memory and
 * handed to the engine as bytes; results without session fields write none.
 *
 * @example
 * const lfpStep = { ..., analysisFile: analysisNwb('lfp', (d, w) => w.addElectricalSeries(...)) };
 */
export function analysisNwb(
  stepName: string,
  add: (data: ResultData, writer: NwbWriter) => void,
): AnalysisFileWriter & { add: typeof add } {
  return {
    extension: '.nwb',
    add,
    compare: compareNwbFiles,
    async write(data, provenance) {
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
        add(data, w);
        w.setProvenance(provenance);
      } catch (err) {
        await w.abort();
        throw err;
      }
      const out = await w.close();
      if (typeof out !== 'string') return out;
      const { readFile, rm } = await nodeFsPromises();
      try {
        return new Uint8Array(await readFile(out));
      } finally {
        await rm(out, { force: true });
      }
    },
  };
}

async function scratchPath(): Promise<string> {
  const { tmpdir } = await nodeOs();
  return `${tmpdir()}/spyglass-analysis-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2)}.nwb`;
}
