import { canonicalJson } from './canonical-json.js';
import { hashArray, hashJson } from './hash.js';
import type { ResultData } from './step.js';

/**
 * Content digest of a result's data (each array's raw-bytes hash with dtype/shape, plus the
 * canonical JSON), independent of when and where it was computed: what verify compares.
 */
export async function resultDigest(data: ResultData): Promise<string> {
  const arrays: Record<string, string> = {};
  for (const [name, a] of Object.entries(data.arrays)) arrays[name] = await hashArray(a.data, a.shape);
  return hashJson({ arrays, json: JSON.parse(canonicalJson(stripNonFinite(data.json))) });
}

/** JSON event lists may hold NaN (e.g. mean speed without position): compare them as null. */
function stripNonFinite(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(stripNonFinite);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stripNonFinite(x)]));
  return v;
}
