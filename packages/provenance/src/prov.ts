import { resultEntityId, versionString, type Activity, type Entity } from './records.js';

/** JSON-LD context for PROV-O terms as RO-Crate uses them. */
export const PROV_CONTEXT = { prov: 'http://www.w3.org/ns/prov#', spyglass: 'https://spyglass-wasm.org/terms#' };

/**
 * An activity and what it used and generated, as PROV-O JSON-LD nodes: the activity
 * (prov:used, prov:startedAtTime, prov:wasAssociatedWith) and its output entity
 * (prov:wasGeneratedBy, prov:wasDerivedFrom).
 *
 * @example
 * const graph = provNodes(result.activity, [inputEntity]);
 */
export function provNodes(a: Activity, used: Entity[] = []): Record<string, unknown>[] {
  const activityId = `#activity-${a.key.replace(/^blake3:/, '')}`;
  return [
    {
      '@id': activityId,
      '@type': ['prov:Activity', 'CreateAction'],
      name: `${a.step} (${a.paramSetName ?? 'custom parameters'})`,
      'spyglass:step': a.step,
      'spyglass:stepVersion': versionString(a.version),
      'spyglass:wasm': a.version.wasm,
      'spyglass:resultKey': a.key,
      'spyglass:paramsHash': a.paramsHash,
      'spyglass:params': a.params,
      'prov:used': Object.entries(a.inputs).map(([role, id]) => ({ '@id': id, 'prov:hadRole': role })),
      'prov:generated': a.outputs.map((id) => ({ '@id': id })),
      'prov:startedAtTime': a.startedAt,
      'prov:endedAtTime': a.endedAt,
      'prov:wasAssociatedWith': { '@id': `#agent-${a.agent}`, name: a.agent },
      'spyglass:runtime': a.runtime,
    },
    {
      '@id': resultEntityId(a.key),
      '@type': 'prov:Entity',
      'prov:wasGeneratedBy': { '@id': activityId },
      'prov:wasDerivedFrom': Object.values(a.inputs).map((id) => ({ '@id': id })),
    },
    ...used.map((e) => ({
      '@id': e.id,
      '@type': 'prov:Entity',
      name: e.label,
      'spyglass:kind': e.kind,
      'spyglass:checksum': e.checksum,
    })),
  ];
}
