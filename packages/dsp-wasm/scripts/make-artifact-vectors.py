#!/usr/bin/env python3
"""Reference vectors for dsp-wasm's LFP artifact detection, re-stating Spyglass's
difference_artifact_detector and mad_artifact_detector (spyglass/lfp/v1/) in numpy/scipy:
  difference: d = np.diff(x); s = sum of d over 15 (3 if referenced) consecutive differences
    centred on each frame (zeros beyond the ends); frames where |s| > thr1 on >= ceil(p1*ch)
    channels and, on >= ceil(p2*ch) channels, max - min of x over [t - w, t + w) > thr2;
  mad: |x - nanmedian| / median_abs_deviation(scale='normal') > thr on a fraction > p of channels;
  each flagged frame is widened by +-removal_window/2 and the intervals are merged.
Spyglass's own quirks are not reproduced: its local window is in samples = ms/2 (the same at
1 kHz), and it skips the baseline test for frames within that window of the start.

Run from packages/dsp-wasm: /usr/bin/python3 scripts/make-artifact-vectors.py
Writes test/vectors/lfp-artifacts.json.
"""
import json
import numpy as np
import scipy
from scipy.stats import median_abs_deviation

fs = 1000.0
rng = np.random.default_rng(44)
n, ch = 4000, 8
x = rng.standard_normal((n, ch)) * 60 + np.sin(2 * np.pi * 8 * np.arange(n) / fs)[:, None] * 150
x[1000:1006, :] += 2500          # step on every channel
x[2500:2502, :3] -= 1800         # brief glitch on 3 of 8 channels
x[3300, 0] += 5000               # single-channel spike: too few channels
x = np.round(x, 3)

def windows(frames, half):
    iv = []
    for f in frames:
        s, e = f / fs - half, f / fs + half
        if iv and s <= iv[-1][1]:
            iv[-1][1] = max(iv[-1][1], e)
        else:
            iv.append([s, e])
    return iv

def difference(x, thr1=500, p1=0.1, thr2=1000, p2=0.05, local_ms=40, referenced=False):
    d = np.diff(x, axis=0)
    width = 1 if referenced else 7
    dp = np.pad(d, ((width, width), (0, 0)))
    s = np.array([dp[t:t + 2 * width + 1].sum(axis=0) for t in range(len(d))])
    cand = np.flatnonzero((np.abs(s) > thr1).sum(axis=1) >= np.ceil(p1 * x.shape[1]))
    w = int(local_ms / 2000 * fs)
    keep = []
    for t in cand:
        seg = x[max(0, t - w): t + w]
        if ((seg.max(axis=0) - seg.min(axis=0)) > thr2).sum() >= np.ceil(p2 * x.shape[1]):
            keep.append(int(t))
    return keep

def mad(x, thr=6.0, p=0.1):
    sigma = median_abs_deviation(x, axis=0, scale="normal", nan_policy="omit")
    z = np.abs(x - np.nanmedian(x, axis=0)) / sigma
    return [int(t) for t in np.flatnonzero(np.mean(z > thr, axis=1) > p)]

out = {"scipy": scipy.__version__, "fs": fs, "rows": n, "cols": ch, "x": x.ravel().tolist()}
for name, frames in [("difference", difference(x)), ("difference_ref", difference(x, referenced=True)),
                     ("difference_p05", difference(x, p1=0.5)), ("mad", mad(x)), ("mad_p05", mad(x, p=0.5))]:
    out[name] = {"frames": frames, "intervals": windows(frames, 0.005)}
    print(name, len(frames), out[name]["intervals"])
json.dump(out, open("test/vectors/lfp-artifacts.json", "w"))
