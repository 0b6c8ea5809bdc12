import { describe, expect, it } from 'vitest';
import { lineageGraphOf, type Activity, type Entity, type ResultRecord } from '../src/index.js';

const record = (key: string, step: string, inputs: Record<string, string>): ResultRecord => {
  const activity: Activity = {
    key,
    step,
    version: { package: '@spyglass-wasm/dsp-wasm', packageVersion: '0.1.0', wasm: { dsp: 'blake3:aa' } },
    params: { a: 1 },
    paramsHash: `h-${step}`,
    paramSetName: 'default',
    inputs,
    outputs: [`result:${key}`],
    startedAt: new Date(0).toISOString(),
    endedAt: new Date(1).toISOString(),
    agent: 'test',
    runtime: { platform: 'linux', runtime: 'node' },
  };
  return { key, step, file: `${key}.sgr`, checksum: 'c', summary: { events: 3 }, activity, status: 'valid' };
};

describe('lineageGraphOf', () => {
  it('has one node per result, file, parameter set and code version, and one edge per use', () => {
    const chain = [
      record('k1', 'lfp', { raw: 'file:blake3:f' }),
      record('k2', 'position', { session: 'file:blake3:f' }),
      record('k3', 'ripples', { lfp: 'result:k1', position: 'result:k2' }),
    ];
    const entities = new Map<string, Entity>([
      ['file:blake3:f', { id: 'file:blake3:f', kind: 'file', label: 'session.nwb', path: '/data/session.nwb' }],
    ]);
    const g = lineageGraphOf(chain, entities, 'k3');
    expect(g.root).toBe('result:k3');
    const kinds = g.nodes.map((n) => n.kind).sort();
    // 3 results, the one file both steps read, 3 parameter sets (one per step), 1 code version (same package)
    expect(kinds).toEqual(['code', 'file', 'paramset', 'paramset', 'paramset', 'result', 'result', 'result']);
    expect(g.nodes.find((n) => n.kind === 'file')!.label).toBe('session.nwb');
    expect(
      g.edges
        .filter((e) => e.to === 'result:k3')
        .map((e) => `${e.role}:${e.from}`)
        .sort(),
    ).toEqual(
      [
        'code:code:@spyglass-wasm/dsp-wasm@0.1.0+dsp=blake3:aa',
        'lfp:result:k1',
        'params:params:ripples:h-ripples',
        'position:result:k2',
      ].sort(),
    );
    expect(g.edges).toHaveLength(3 * 2 + 4);
  });
});
