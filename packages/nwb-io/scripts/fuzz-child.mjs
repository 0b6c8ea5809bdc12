// One reader process of the fuzz suite (scripts/fuzz.mjs): reads every file it is sent the way a
// user would (open, metadata, listing, each series, units, position, intervals) with the built
// package, and answers a digest of what it read, or the error it got. Runs in its own process so
// the parent can time it out (a hang) or see it die (a crash).
import { openNwb } from '../dist/index.js';

/** FNV-1a over bytes: a short fingerprint of what was read, to compare with the original file. */
function fnv(bytes, h = 0x811c9dc5) {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}
const digestArray = (a) => fnv(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).toString(16) + `:${a.length}`;
const digestJson = (v) =>
  fnv(
    new TextEncoder().encode(
      JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? digestArray(x) : typeof x === 'bigint' ? String(x) : x)),
    ),
  ).toString(16);

async function readAll(path) {
  const ops = {};
  const warnings = [];
  let nwb;
  const step = (name, fn) => {
    try {
      ops[name] = fn();
    } catch (err) {
      ops[name] = { error: describe(err) };
    }
  };
  try {
    nwb = await openNwb(path);
  } catch (err) {
    return { ops: { open: { error: describe(err) } }, warnings };
  }
  try {
    ops.metadata = digestJson(nwb.metadata);
    step('electrodes', () => digestJson(nwb.electrodes() ?? null));
    let series = [];
    step('listing', () => {
      series = nwb.electricalSeries();
      for (const s of series) warnings.push(...s.warnings);
      return digestJson(
        series.map(({ path, kind, shape, dtype, conversion, timing }) => ({
          path,
          kind,
          shape,
          dtype,
          conversion,
          timing,
        })),
      );
    });
    for (const s of series) {
      if (s.kind === 'unreadable') continue;
      step(`series ${s.path}`, () => {
        const reader = nwb.series(s.path);
        if (s.kind === 'events') return digestArray(reader.readEvents({ scale: 'raw' }).data);
        const parts = [];
        const step = s.chunks?.[0] ?? 65536;
        for (let r = 0; r < s.shape[0]; r += step)
          parts.push(digestArray(reader.read({ rows: [r, Math.min(s.shape[0], r + step)], scale: 'raw' }).data));
        return fnv(new TextEncoder().encode(parts.join())).toString(16);
      });
      step(`times ${s.path}`, () => (s.untimed ? 'untimed' : digestArray(nwb.series(s.path).timestamps())));
    }
    step('units', () => digestJson(nwb.units() ?? null));
    step('position', () => {
      const p = nwb.position();
      for (const x of p) warnings.push(...x.warnings);
      return digestJson(p);
    });
    step('intervals', () => digestJson(nwb.intervals()));
    step('modules', () => digestJson(nwb.processingModules()));
    warnings.push(...nwb.skipped().map((s) => `${s.path}: ${s.reason}`));
  } finally {
    try {
      nwb.close();
    } catch (err) {
      ops.close = { error: describe(err) };
    }
  }
  return { ops, warnings };
}

/** An error as the fuzz sees it: typed (a SpyglassError with a code) and one line, or not. */
function describe(err) {
  const message = err instanceof Error ? err.message : String(err);
  return {
    name: err?.name ?? typeof err,
    code: err?.code,
    typed: typeof err?.code === 'string' && /^E_/.test(err.code),
    oneLine: !message.includes('\n'),
    message: message.slice(0, 400),
  };
}

process.on('message', async ({ id, path }) => {
  const t0 = performance.now();
  const result = await readAll(path);
  process.send({ id, ...result, ms: performance.now() - t0 });
});
process.send({ ready: true });
