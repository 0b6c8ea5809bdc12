import { hashJson } from './hash.js';
import { versionString, type StepVersion } from './records.js';

/** What identifies a result: the step, the code that ran, its parameters and its inputs. */
export interface KeyParts {
  step: string;
  version: StepVersion;
  paramsHash: string;
  /** Input role -> entity id. */
  inputs: Record<string, string>;
}

/**
 * A result's key: hash(step, version, params hash, input ids). Equal keys mean the stored result
 * is reused; a change anywhere upstream changes an input id and so every key downstream.
 *
 * @example
 * const key = await resultKey({ step: 'lfp', version, paramsHash, inputs: { raw: fileId } });
 */
export async function resultKey(parts: KeyParts): Promise<string> {
  return hashJson({
    step: parts.step,
    version: versionString(parts.version),
    params: parts.paramsHash,
    inputs: parts.inputs,
  });
}
