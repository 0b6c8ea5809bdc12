#!/usr/bin/env python3
"""Reference vectors for dsp-wasm's event detectors (Kay, Karlsson, multiunit HSE).

ripple_detection needs pandas, which Debian's python3 here lacks, so this script re-states the
semantics documented by ripple_detection (core.threshold_by_zscore, detectors/_blocks.py) in plain
numpy/scipy, independently of the TypeScript code:
  - a sample is missing when any channel or the speed is NaN; blocks split at missing samples and
    at time steps > 1.5 x the median step; every step below runs within a block;
  - envelope = |scipy.signal.hilbert(block, N=next_fast_len(n))[:n]|;
  - gaussian_smooth = scipy.ndimage.gaussian_filter1d(x, sigma*fs, truncate=8, mode='constant');
  - z-score with nanmean / nanstd (ddof 0) over valid samples;
  - runs >= threshold lasting >= round(min_duration / median step) samples, extended to the
    containing run >= 0 (which must also be that long); duplicates removed;
  - Karlsson: per-channel events merged where they overlap; speed <= threshold at both ends;
    later events starting < close_threshold after the last kept event's end dropped.

Run from packages/dsp-wasm: /usr/bin/python3 scripts/make-events-vectors.py
Writes test/vectors/events-detectors.json.
"""
import json
import numpy as np
import scipy
from scipy.fftpack import next_fast_len
from scipy.ndimage import gaussian_filter1d
from scipy.signal import hilbert

rng = np.random.default_rng(5)
fs = 1000.0
n, cols = 3000, 3
time = np.arange(n) / fs + 100.0
time[2000:] += 0.5  # a recording gap: blocks split here
x = rng.standard_normal((n, cols)) * 10
ripples = [0.45, 0.9, 1.30, 1.42, 2.3, 2.75]
for k, rt in enumerate(ripples):
    amp = 40 if k != 4 else 60
    env = np.exp(-0.5 * ((np.arange(n) / fs - rt) / 0.012) ** 2)
    for c in range(cols):
        x[:, c] += amp * (1 + 0.3 * c if k != 5 else (1.2 if c == 0 else 0.05)) * env * np.sin(2 * np.pi * 180 * np.arange(n) / fs + c)
x = np.round(x, 3)
x[1500:1510, 1] = np.nan  # missing samples on one channel: the row is missing
speed = np.full(n, 1.0)
speed[850:950] = 10.0     # running through the second ripple
speed = np.round(speed, 6)

def blocks_of(valid, t):
    bound = np.zeros(len(valid) + 1, bool)
    bound[0] = bound[-1] = True
    bound[1:-1] |= valid[1:] != valid[:-1]
    steps = np.diff(t)
    bound[1:-1] |= steps > 1.5 * np.median(steps)
    e = np.flatnonzero(bound)
    return [(a, b) for a, b in zip(e[:-1], e[1:]) if valid[a]]

def envelope(b):
    m = b.shape[0]
    return np.abs(hilbert(b, N=next_fast_len(m), axis=0))[:m]

def smooth(v, sigma):
    return gaussian_filter1d(v, sigma * fs, truncate=8, mode="constant", axis=0)

def zscore(v, mask):
    return (v - np.nanmean(v[mask])) / np.nanstd(v[mask])

def runs(b):
    p = np.concatenate([[False], b, [False]])
    return np.flatnonzero(p[1:] != p[:-1]).reshape(-1, 2)

def threshold(z, t, blocks, min_dur, thr):
    nmin = max(1, int(np.floor(min_dur / np.median(np.diff(t)) + 0.5 + 1e-6)))
    out = set()
    for a, b in blocks:
        zz = z[a:b]
        above = [r for r in runs(zz >= thr) if r[1] - r[0] >= nmin]
        mean = [r for r in runs(zz >= 0) if r[1] - r[0] >= nmin]
        for r in above:
            m = [q for q in mean if q[0] <= r[0] and q[1] >= r[1]]
            if m:
                out.add((a + m[0][0], a + m[0][1] - 1))
    return sorted(out)

def merge(ranges):
    out = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return out

def finish(cands, speed, close, thr=4.0):
    cands = [c for c in cands if speed[c[0]] <= thr and speed[c[1]] <= thr]
    kept = []
    for c in cands:
        if not kept or not (time[c[0]] - time[kept[-1][1]] < close):
            kept.append(c)
    return [[float(time[a]), float(time[b])] for a, b in kept]

valid = np.all(np.isfinite(x), axis=1) & np.isfinite(speed)
blocks = blocks_of(valid, time)
kay = np.full(n, np.nan)
karl = np.full((n, cols), np.nan)
for a, b in blocks:
    env = envelope(x[a:b])
    kay[a:b] = np.sqrt(smooth(np.sum(env ** 2, axis=1), 0.004))
    karl[a:b] = smooth(env, 0.004)
zk = zscore(kay, valid)
out = {"scipy": scipy.__version__, "fs": fs, "rows": n, "cols": cols,
       "time": time.tolist(), "x": [None if np.isnan(v) else v for v in x.ravel().tolist()], "speed": speed.tolist(),
       "ripples": ripples, "blocks": [[int(a), int(b)] for a, b in blocks],
       "kay_trace": [None if np.isnan(v) else v for v in kay.tolist()]}
cands = threshold(zk, time, blocks, 0.015, 2.0)
out["kay_nospeed"] = finish(cands, np.zeros(n), 0.0)
out["kay"] = finish(cands, speed, 0.0)
out["kay_close"] = finish(cands, speed, 0.1)
out["kay_z3_25ms"] = finish(threshold(zk, time, blocks, 0.025, 3.0), speed, 0.0)
zs = [zscore(karl[:, c], valid) for c in range(cols)]
kc = merge([r for z in zs for r in threshold(z, time, blocks, 0.015, 2.0)])
out["karlsson"] = finish(kc, speed, 0.0)
out["karlsson_nospeed"] = finish(kc, np.zeros(n), 0.0)

# Multiunit: 15 units, Bernoulli spikes per 1 ms bin, bursts at known times.
units = 15
p = np.full(n, 0.004)
bursts = [0.6, 1.7, 2.5]
for bt in bursts:
    p[np.abs(np.arange(n) / fs - bt) < 0.04] = 0.06
counts = (rng.random((n, units)) < p[:, None]).astype(float)
mvalid = np.isfinite(speed)
mblocks = blocks_of(mvalid, time)
rate = np.full(n, np.nan)
for a, b in mblocks:
    rate[a:b] = smooth(counts[a:b].sum(axis=1) * fs, 0.015)
out["mua"] = {"units": units, "counts": counts.astype(int).ravel().tolist(), "bursts": bursts,
              "events": finish(threshold(zscore(rate, mvalid), time, mblocks, 0.015, 2.0), np.zeros(n), 0.0),
              "events_still_z": finish(threshold(zscore(rate, mvalid & (speed < 4)), time, mblocks, 0.015, 2.0), speed, 0.0)}
json.dump(out, open("test/vectors/events-detectors.json", "w"))
print({k: v for k, v in out.items() if k.startswith(("kay_", "karl", "kay"))and k != "kay_trace"}, out["mua"]["events"])
