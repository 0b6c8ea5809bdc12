import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  hashArray,
  hashBytes,
  hashJson,
  resultKey,
  resolveParams,
  type Step,
  type StepVersion,
} from '../src/index.js';

/** A step with parameter sets of its own, as the pipelines declare them. */
const ripplesLike: Pick<Step, 'name' | 'paramSets'> = {
  name: 'ripples',
  paramSets: {
    default: { detector: 'kay', band: [150, 250], zscoreThreshold: 2 },
    kay: { detector: 'kay', band: [150, 250], zscoreThreshold: 2 },
  },
};

const version: StepVersion = {
  package: '@spyglass-wasm/dsp-wasm',
  packageVersion: '0.1.0',
  wasm: { dsp: 'blake3:00' },
};
const parts = { step: 'lfp', version, paramsHash: 'blake3:11', inputs: { raw: 'file:blake3:22' } };

describe('canonical JSON and hashes', () => {
  it('is RFC 8785: sorted keys, shortest numbers, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [1.5, 'x', { d: true, c: null }], e: 1e21, f: 0.1 + 0.2 })).toBe(
      '{"a":[1.5,"x",{"c":null,"d":true}],"b":1,"e":1e+21,"f":0.30000000000000004}',
    );
    expect(() => canonicalJson({ a: NaN })).toThrow(/\$\.a/);
    expect(() => canonicalJson({ a: new Float64Array(2) })).toThrow(/hashArray/);
  });

  it('BLAKE3 matches the published test vector', async () => {
    // BLAKE3 of the empty input (BLAKE3 reference test vectors)
    expect(await hashBytes(new Uint8Array())).toBe(
      'blake3:af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
    );
  });

  it('hashes arrays as raw bytes with a dtype/shape header', async () => {
    const a = Float64Array.from([1, 2, 3, 4]);
    expect(await hashArray(a, [2, 2])).toBe(await hashArray(Float64Array.from(a), [2, 2]));
    expect(await hashArray(a, [2, 2])).not.toBe(await hashArray(a, [4, 1]));
    expect(await hashArray(a)).not.toBe(await hashArray(Float32Array.from(a)));
    // a view hashes its own elements only
    const big = Float64Array.from([9, 1, 2, 3, 4, 9]);
    expect(await hashArray(big.subarray(1, 5), [2, 2])).toBe(await hashArray(a, [2, 2]));
    await expect(hashArray(a, [3])).rejects.toThrow(/shape/);
  });

  it('hashes JSON independently of key order', async () => {
    expect(await hashJson({ a: 1, b: [1, 2] })).toBe(await hashJson({ b: [1, 2], a: 1 }));
  });
});

describe('result keys', () => {
  it('are stable across runs and platforms (golden value)', async () => {
    expect(await resultKey(parts)).toBe(GOLDEN);
    expect(await resultKey(structuredClone(parts))).toBe(GOLDEN);
  });

  it('change with any part: step, version, wasm, params, inputs', async () => {
    const keys = await Promise.all([
      resultKey(parts),
      resultKey({ ...parts, step: 'lfp-band' }),
      resultKey({ ...parts, version: { ...version, packageVersion: '0.1.1' } }),
      resultKey({ ...parts, version: { ...version, wasm: { dsp: 'blake3:01' } } }),
      resultKey({ ...parts, paramsHash: 'blake3:12' }),
      resultKey({ ...parts, inputs: { raw: 'file:blake3:23' } }),
      resultKey({ ...parts, inputs: { lfp: 'file:blake3:22' } }),
      resultKey({ ...parts, version: { ...version, source: { '@spyglass-wasm/dsp-wasm': 'aa' } } }),
      resultKey({ ...parts, version: { ...version, source: { '@spyglass-wasm/dsp-wasm': 'ab' } } }),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('any parameter change gives a new params hash', async () => {
    const base = resolveParams(ripplesLike, 'default').params;
    const h0 = await hashJson(base);
    for (const [k, v] of Object.entries(base)) {
      const changed = { ...base, [k]: typeof v === 'number' ? v + 0.5 : typeof v === 'string' ? v + 'x' : [0, 1] };
      expect(await hashJson(changed), k).not.toBe(h0);
    }
  });
});

describe('parameter sets', () => {
  it("are the step's own: a named set, or an object over its default, with overrides", () => {
    expect(resolveParams(ripplesLike, 'kay').name).toBe('kay');
    expect(resolveParams(ripplesLike, 'kay', { zscoreThreshold: 3 })).toEqual({
      name: undefined,
      params: { detector: 'kay', band: [150, 250], zscoreThreshold: 3 },
    });
    expect(resolveParams(ripplesLike, { zscoreThreshold: 4 }).params.zscoreThreshold).toBe(4);
    expect(() => resolveParams(ripplesLike, 'nope')).toThrow(/ripples parameter set.*default, kay/);
    expect(resolveParams({ name: 'plain' }).params).toEqual({});
  });
});

// Computed once and committed: any change to canonical JSON, BLAKE3 or the key layout breaks it.
const GOLDEN = 'blake3:99198eeb4f8b87a76d0d92acabae9e2fc1be825e6daeb0864af638de290331c5';
