// Side-by-side timing that a busy machine cannot tilt: one long-lived Python process holds the
// scipy baseline's data, and rounds alternate (ours, scipy, ours, scipy, …) so a burst of load
// from other jobs hits both sides alike. Each pair reports the median of its per-round ratios.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Rounds per comparison: BENCH_ROUNDS, else `fallback`. */
export function benchRounds(fallback = 5) {
  const n = Number(process.env.BENCH_ROUNDS ?? fallback);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`BENCH_ROUNDS: expected a whole number >= 1, got ${process.env.BENCH_ROUNDS}`);
  return n;
}

// The Python side: reads one JSON command per line, {exec: code} or {time: expression}, and
// answers one JSON line, {ok: true, seconds} or {error}. Everything lives in one namespace.
const SERVER = `
import json, sys, time, traceback
ns = {}
for line in sys.stdin:
    cmd = json.loads(line)
    try:
        if 'exec' in cmd:
            exec(cmd['exec'], ns)
            out = {'ok': True}
        else:
            code = compile(cmd['time'], '<bench>', 'exec')
            t0 = time.perf_counter(); exec(code, ns); out = {'ok': True, 'seconds': time.perf_counter() - t0}
    except Exception:
        out = {'error': traceback.format_exc()}
    sys.stdout.write(json.dumps(out) + '\\n'); sys.stdout.flush()
`;

/**
 * A Python process kept alive for a whole suite, so data loaded once serve every round.
 *
 * @example
 * const py = startPython('/usr/bin/python3');
 * await py.exec('import numpy as np; x = np.ones(10)');
 * const seconds = await py.time('x.sum()');
 * py.close();
 */
export function startPython(python, { env = {} } = {}) {
  const child = spawn(python, ['-u', '-c', SERVER], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', ...env },
  });
  running.add(new Promise((resolve) => child.on('exit', resolve)));
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`python exited with code ${code}`));
  });
  const send = (cmd) =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      child.stdin.write(`${JSON.stringify(cmd)}\n`);
    }).then((r) => {
      if (r.error) throw new Error(`python failed: ${r.error}`);
      return r;
    });
  return {
    exec: (code) => send({ exec: code }).then(() => undefined),
    time: (expression) => send({ time: expression }).then((r) => r.seconds),
    close: () => child.stdin.end(),
  };
}

/** Exit promises of the Python processes started so far (a suite's CPU time includes theirs once they exit). */
const running = new Set();

/** Resolves when every Python process started so far has exited (after its suite closed it). */
export async function pythonExited() {
  await Promise.all(running);
  running.clear();
}

/**
 * Times each entry once per round, in order, after one warm-up round; entries are
 * { name, run } (ours: a function, may be async) or { name, python } (an expression timed in `py`).
 * Returns { [name]: { seconds (median), times } } and ratio(a, b): the median over rounds of
 * b's time / a's time (how many times faster a is than b, measured back to back).
 */
export async function interleave(entries, { rounds = benchRounds(), py = null } = {}) {
  const times = Object.fromEntries(entries.map((e) => [e.name, []]));
  const once = async (e) => {
    if (e.python !== undefined) {
      if (!py) throw new Error(`interleave: entry '${e.name}' needs py (a startPython process)`);
      return py.time(e.python);
    }
    const t0 = performance.now();
    await e.run();
    return (performance.now() - t0) / 1000;
  };
  for (const e of entries) await once(e); // warm-up: compile, fill caches, fault pages in once
  for (let r = 0; r < rounds; r++) for (const e of entries) times[e.name].push(await once(e));
  const result = Object.fromEntries(Object.entries(times).map(([k, ts]) => [k, { seconds: median(ts), times: ts }]));
  const ratio = (a, b) => median(times[a].map((t, i) => times[b][i] / t));
  return { ...result, ratio };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
