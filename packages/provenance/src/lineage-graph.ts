import type { ResultRepository } from './store/interfaces.js';
import { resultEntityId, versionString, type Entity, type ResultRecord } from './records.js';

/** What a lineage node stands for: an input file, a parameter set, a code version or a result. */
export type LineageNodeKind = 'file' | 'paramset' | 'code' | 'result';

export interface LineageNode {
  /** Entity id (`file:…`, `result:…`), parameter-set hash, or `code:<version string>`. */
  id: string;
  kind: LineageNodeKind;
  /** Short text to draw: file name, `step name`, parameter-set name, package@version. */
  label: string;
  /** Longer text (checksum, full key, summary) for a tooltip. */
  detail: string;
}

/** `from` was used by `to` (a result) in the role `role` (`params` and `code` for those nodes). */
export interface LineageEdge {
  from: string;
  to: string;
  role: string;
}

/** A result's lineage as a DAG: everything upstream, edges pointing downstream. */
export interface LineageGraph {
  /** The result the graph was drawn for. */
  root: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

const shortHash = (s: string): string => s.replace(/^(result:|file:)?blake3:/, '').slice(0, 12);

/**
 * The lineage graph of results already read (`chain`, as `store.lineage` returns it) and their
 * input entities: one node per result, input file, parameter set and code version (shared nodes
 * appear once), one edge per use. Pure, so a crate's records draw the same way as a store's.
 *
 * @example
 * const g = lineageGraphOf(await store.lineage(key), entities, key);
 * g.nodes.filter((n) => n.kind === 'file').map((n) => n.label); // ['session.nwb']
 */
export function lineageGraphOf(
  chain: readonly ResultRecord[],
  entities: ReadonlyMap<string, Entity>,
  root: string,
): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges: LineageEdge[] = [];
  const add = (n: LineageNode) => void (nodes.has(n.id) || nodes.set(n.id, n));
  for (const r of chain) {
    const a = r.activity;
    const id = resultEntityId(r.key);
    const summary = Object.entries(r.summary)
      .filter(([, v]) => typeof v !== 'object')
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    add({
      id,
      kind: 'result',
      label: `${a.step} ${shortHash(r.key)}`,
      detail: `${r.key}${r.status === 'invalid' ? ' [INVALID]' : ''}\n${summary}\n${a.startedAt}`,
    });
    const params = `params:${a.step}:${a.paramsHash}`;
    add({
      id: params,
      kind: 'paramset',
      label: `${a.step} params ${a.paramSetName ?? 'custom'}`,
      detail: `${a.paramsHash}\n${JSON.stringify(a.params)}`,
    });
    edges.push({ from: params, to: id, role: 'params' });
    const version = versionString(a.version);
    const code = `code:${version}`;
    // versions of one package differ by the kernels they run: name them so the nodes tell apart
    const kernels = Object.keys(a.version.wasm)
      .map((k) => k.replace(/^@spyglass-wasm\//, ''))
      .sort()
      .join('+');
    add({
      id: code,
      kind: 'code',
      label: `${a.version.package.replace(/^@spyglass-wasm\//, '')}@${a.version.packageVersion}${kernels ? ` (${kernels})` : ''}`,
      detail: version,
    });
    edges.push({ from: code, to: id, role: 'code' });
    for (const [role, input] of Object.entries(a.inputs)) {
      if (!input.startsWith('result:')) {
        const e = entities.get(input);
        add({
          id: input,
          kind: 'file',
          label: e?.label ?? shortHash(input),
          detail: `${input}${e?.path ? `\n${e.path}` : ''}`,
        });
      }
      edges.push({ from: input, to: id, role });
    }
  }
  return { root: resultEntityId(root), nodes: [...nodes.values()], edges };
}

/**
 * The lineage graph of `key` in a store: inputs, parameter sets, code versions and results.
 *
 * @example
 * const g = await lineageGraph(store, key);
 * console.log(g.nodes.length, 'nodes', g.edges.length, 'edges');
 */
export async function lineageGraph(store: ResultRepository, key: string): Promise<LineageGraph> {
  const chain = await store.lineage(key);
  const entities = new Map<string, Entity>();
  for (const r of chain) {
    for (const id of Object.values(r.activity.inputs)) {
      if (id.startsWith('result:') || entities.has(id)) continue;
      const e = await store.getEntity(id);
      if (e) entities.set(id, e);
    }
  }
  return lineageGraphOf(chain, entities, key);
}
