#!/usr/bin/env python3
"""Reference vectors for dsp-wasm's filter tests, from scipy (Debian python3-scipy).

Run from packages/dsp-wasm: /usr/bin/python3 scripts/make-filter-vectors.py
Writes test/vectors/butter.json and test/vectors/sosfilt.json.
"""
import json
import numpy as np
import scipy
import scipy.signal as sig

out = {"scipy": scipy.__version__, "cases": []}
fs = 30000.0
for order in range(1, 11):
    for btype, wn in [("lowpass", 400.0), ("highpass", 300.0), ("bandpass", [300.0, 6000.0]),
                      ("bandstop", [55.0, 65.0]), ("lowpass", 14000.0), ("bandpass", [150.0, 250.0])]:
        sos = sig.butter(order, wn, btype=btype, fs=fs, output="sos")
        out["cases"].append({"N": order, "Wn": wn, "btype": btype, "fs": fs, "sos": sos.ravel().tolist()})
    # normalised frequencies, no fs
    sos = sig.butter(order, [0.1, 0.45], btype="bandpass", output="sos")
    out["cases"].append({"N": order, "Wn": [0.1, 0.45], "btype": "bandpass", "fs": None, "sos": sos.ravel().tolist()})
    sos = sig.butter(order, 0.2, btype="highpass", output="sos")
    out["cases"].append({"N": order, "Wn": 0.2, "btype": "highpass", "fs": None, "sos": sos.ravel().tolist()})
json.dump(out, open("test/vectors/butter.json", "w"))

rng = np.random.default_rng(5)
rows, cols = 401, 3
x = rng.standard_normal((rows, cols)) * 50 + np.sin(np.arange(rows) * 0.05)[:, None] * 100
sos = sig.butter(4, [300.0, 6000.0], btype="bandpass", fs=fs, output="sos")
sos_lp = sig.butter(3, 100.0, btype="lowpass", fs=1000.0, output="sos")
zi = sig.sosfilt_zi(sos)
res = {
    "scipy": scipy.__version__,
    "rows": rows, "cols": cols, "x": x.ravel().tolist(),
    "sos": sos.ravel().tolist(),
    "sosfilt": sig.sosfilt(sos, x, axis=0).ravel().tolist(),
    "sosfilt_zi": zi.ravel().tolist(),
    # zi in scipy's axis=0 layout is (nsec, 2, cols); our layout is (nsec, cols, 2).
    "sosfilt_with_zi": sig.sosfilt(sos, x, axis=0, zi=zi[:, :, None] * x[0][None, None, :])[0].ravel().tolist(),
    "sosfilt_zf": sig.sosfilt(sos, x, axis=0, zi=zi[:, :, None] * x[0][None, None, :])[1].transpose(0, 2, 1).ravel().tolist(),
    "sosfiltfilt": sig.sosfiltfilt(sos, x, axis=0).ravel().tolist(),
    "sosfiltfilt_even": sig.sosfiltfilt(sos, x, axis=0, padtype="even").ravel().tolist(),
    "sosfiltfilt_const_pad10": sig.sosfiltfilt(sos, x, axis=0, padtype="constant", padlen=10).ravel().tolist(),
    "sosfiltfilt_nopad": sig.sosfiltfilt(sos, x, axis=0, padtype=None).ravel().tolist(),
    "sos_lp": sos_lp.ravel().tolist(),
    "sosfiltfilt_lp": sig.sosfiltfilt(sos_lp, x[:, 0]).tolist(),
}
json.dump(res, open("test/vectors/sosfilt.json", "w"))
print("wrote test/vectors/butter.json, test/vectors/sosfilt.json")
