import type { ResultRepository } from './store/interfaces.js';
import { versionString } from './records.js';

const short = (id: string): string => id.replace(/^(result:|file:)?blake3:/, '$1').slice(0, 20);

/**
 * A result's lineage as readable lines: each result with its step, parameter set, code version,
 * agent and timing, indented under what used it, down to the input files with their checksums.
 *
 * @example
 * console.log((await lineageText(store, key)).join('\n'));
 */
export async function lineageText(store: ResultRepository, key: string): Promise<string[]> {
  const lines: string[] = [];
  const visit = async (k: string, depth: number): Promise<void> => {
    const r = await store.getResult(k);
    const pad = '  '.repeat(depth) + (depth ? '<- ' : '');
    if (!r) return void lines.push(`${pad}result ${short(k)} (not in this store)`);
    const a = r.activity;
    const secs = (Date.parse(a.endedAt) - Date.parse(a.startedAt)) / 1000;
    const summary = Object.entries(r.summary)
      .filter(([, v]) => typeof v !== 'object')
      .map(([k2, v]) => `${k2}=${v}`)
      .join(' ');
    lines.push(
      `${pad}${a.step} ${short(r.key)}${r.status === 'invalid' ? ' [INVALID]' : ''}  params=${a.paramSetName ?? 'custom'} (${short(a.paramsHash)})  ${summary}`,
    );
    lines.push(
      `${'  '.repeat(depth + 2)}code ${versionString(a.version).replace(/blake3:([0-9a-f]{12})[0-9a-f]+/g, '$1…')}  by ${a.agent} on ${a.runtime.platform}, ${a.startedAt} (${secs.toFixed(2)} s)`,
    );
    lines.push(`${'  '.repeat(depth + 2)}file ${r.file}`);
    for (const [role, id] of Object.entries(a.inputs)) {
      if (id.startsWith('result:')) await visit(id.slice(7), depth + 1);
      else {
        const e = await store.getEntity(id);
        lines.push(
          `${'  '.repeat(depth + 1)}<- ${role}: ${e?.label ?? id} ${short(id)} (${e?.path ?? 'path unknown'})`,
        );
      }
    }
  };
  await visit(key, 0);
  return lines;
}
