#!/usr/bin/env python3
"""Reference vectors for dsp-wasm's referencing: common median / mean reference with channel
subsets, exclusions and NaN (numpy nanmedian / nanmean), MAD noise level
(scipy.stats.median_abs_deviation(scale='normal', nan_policy='omit')) and ZCA whitening
(numpy.linalg.eigh, W = U diag(1/sqrt(l + eps)) U^T with eps relative to the mean eigenvalue).

Run from packages/dsp-wasm: /usr/bin/python3 scripts/make-referencing-vectors.py
Writes test/vectors/lfp-referencing.json.
"""
import json
import numpy as np
import scipy
from scipy.stats import median_abs_deviation

rng = np.random.default_rng(31)
rows, cols = 301, 6
common = rng.standard_normal((rows, 1)) * 30
m = np.round(common + rng.standard_normal((rows, cols)) * (5 + np.arange(cols)) + np.arange(cols) * 3, 5)
mn = m.copy()
mn[7, 2] = np.nan
mn[40, [0, 1, 3, 4, 5, 2]] = np.nan  # a whole row
nn = lambda a: [None if np.isnan(v) else float(v) for v in np.ravel(a)]
chans = [0, 1, 3, 4]  # channels [0,1,2,3,4] minus excluded 2
out = {"scipy": scipy.__version__, "rows": rows, "cols": cols, "x": nn(mn),
       "median_all": nn(mn - np.nanmedian(mn, axis=1, keepdims=True)),
       "mean_subset_excl": nn(mn - np.nanmean(mn[:, chans], axis=1, keepdims=True)),
       "median_even": nn(mn - np.nanmedian(mn[:, [0, 1, 3, 5]], axis=1, keepdims=True)),
       "mad": nn(median_abs_deviation(mn, axis=0, scale="normal", nan_policy="omit"))}
x = m - m.mean(axis=0)
cov = x.T @ x / rows
l, U = np.linalg.eigh(cov)
eps = 1e-3 * l.mean()
W = U @ np.diag(1 / np.sqrt(l + eps)) @ U.T
out["whiten"] = {"x": m.ravel().tolist(), "epsilon": 1e-3, "W": W.ravel().tolist(), "y": (x @ W).ravel().tolist(),
                 "cov": cov.ravel().tolist()}
json.dump(out, open("test/vectors/lfp-referencing.json", "w"))
print("ok")
