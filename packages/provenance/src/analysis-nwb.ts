import { ParameterError } from '@spyglass-wasm/core';
import { NwbWriter } from '@spyglass-wasm/nwb-io';
import type { ResultData, Step } from './step.js';

/** Session fields an analysis file copies from its source NWB file. */
export interface SessionInfo {
  identifier: string;
  sessionDescription: string;
  sessionStartTime: string;
}

/**
 * Writes a result as an analysis NWB file (the step's own NWB objects plus the provenance record
 * as JSON under /analysis/spyglass_provenance), under a temporary name renamed on close.
 *
 * @example
 * await writeAnalysisNwb(lfpStep, data, record, 'out.nwb');
 */
export async function writeAnalysisNwb(step: Step, data: ResultData, provenance: unknown, path: string): Promise<void> {
  if (!step.writeNwb) throw new ParameterError('step', 'a step that writes NWB objects', step.name);
  const session = data.json.session as SessionInfo | undefined;
  if (!session) throw new ParameterError('session', `session fields carried by the ${step.name} result`, 'none');
  const w = await NwbWriter.create(path, {
    identifier: `${session.identifier}:${step.name}:${String((provenance as { key?: string })?.key ?? Date.now())}`,
    sessionDescription: `${step.name} analysis of: ${session.sessionDescription}`,
    sessionStartTime: session.sessionStartTime,
  });
  try {
    step.writeNwb(data, w);
    w.setProvenance(provenance);
  } catch (err) {
    await w.abort(); // drops the temporary file; nothing appears under the real name
    throw err;
  }
  await w.close();
}
