#!/usr/bin/env python3
"""Reference vectors for dsp-wasm's LFP / events / referencing tests (Debian python3-scipy).

Run from packages/dsp-wasm: /usr/bin/python3 scripts/make-lfp-vectors.py
Writes test/vectors/lfp.json.
"""
import json
import numpy as np
import scipy
import scipy.ndimage as ndi
import scipy.signal as sig
import scipy.stats as st

rng = np.random.default_rng(21)
out = {"scipy": scipy.__version__}
x = rng.standard_normal(200) + np.sin(np.arange(200) * 0.1) * 3
out["gauss"] = {"x": x.tolist(),
                "s3": ndi.gaussian_filter1d(x, 3.0).tolist(),
                "s4_t8_const": ndi.gaussian_filter1d(x, 4.0, truncate=8.0, mode="constant").tolist(),
                "s2p5_nearest": ndi.gaussian_filter1d(x, 2.5, mode="nearest").tolist(),
                "s40_reflect": ndi.gaussian_filter1d(x[:30], 40.0).tolist()}
xz = x.copy(); xz[5] = np.nan
out["zscore"] = {"x": [None if np.isnan(v) else v for v in xz], "z": [None if np.isnan(v) else v for v in st.zscore(xz, nan_policy="omit")]}

m = rng.standard_normal((50, 5)) * 10
out["reference"] = {"rows": 50, "cols": 5, "x": m.ravel().tolist(),
                    "median": (m - np.median(m, axis=1, keepdims=True)).ravel().tolist(),
                    "mean_sub": (m - np.mean(m[:, [0, 2, 3]], axis=1, keepdims=True)).ravel().tolist(),
                    "mad": (np.median(np.abs(m - np.median(m, axis=0)), axis=0) / 0.6744897501960817).tolist()}

# LFP filter at 30 kHz: kaiserord(120 dB, 25 Hz) + firwin(kaiser), cutoff mid-transition, odd taps.
fs = 30000.0
numtaps, beta = sig.kaiserord(120, 25 / (fs / 2))
numtaps |= 1
taps = sig.firwin(numtaps, 412.5, window=("kaiser", beta), fs=fs)
raw = rng.standard_normal((15000, 2)) * 20 + np.sin(2 * np.pi * 8 * np.arange(15000) / fs)[:, None] * 100 \
    + np.sin(2 * np.pi * 3000 * np.arange(15000) / fs)[:, None] * 50
y = sig.fftconvolve(raw, taps[:, None], mode="same", axes=0)[::30]
out["lfp"] = {"fs": fs, "rows": 15000, "cols": 2, "numtaps": numtaps, "beta": beta, "taps_head": taps[:50].tolist(),
              "taps_mid": taps[numtaps // 2 - 5: numtaps // 2 + 6].tolist(), "x": raw.ravel().tolist(), "y": y.ravel().tolist()}
json.dump(out, open("test/vectors/lfp.json", "w"))
print("wrote test/vectors/lfp.json")
