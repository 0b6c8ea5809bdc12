#!/usr/bin/env python3
"""Reference vectors for dsp-wasm's FIR / spectral tests, from scipy (Debian python3-scipy).

Run from packages/dsp-wasm: /usr/bin/python3 scripts/make-spectral-vectors.py
Writes test/vectors/spectral.json.
"""
import json
import numpy as np
import scipy
import scipy.signal as sig

rng = np.random.default_rng(9)
out = {"scipy": scipy.__version__}

z = rng.standard_normal(12) + 1j * rng.standard_normal(12)
out["fft12"] = {"x": np.column_stack([z.real, z.imag]).ravel().tolist(),
                "X": np.column_stack([np.fft.fft(z).real, np.fft.fft(z).imag]).ravel().tolist()}

rows, cols = 101, 3
x = rng.standard_normal((rows, cols)) + np.sin(np.arange(rows) * 0.3)[:, None]
h = sig.hilbert(x, axis=0)
out["hilbert"] = {"rows": rows, "cols": cols, "x": x.ravel().tolist(), "re": h.real.ravel().tolist(), "im": h.imag.ravel().tolist()}
x128 = x[:100]
h = sig.hilbert(x128, axis=0)
out["hilbert100"] = {"rows": 100, "cols": cols, "x": x128.ravel().tolist(), "re": h.real.ravel().tolist(), "im": h.imag.ravel().tolist()}

firwins = []
for numtaps, cutoff, kw in [(31, 0.3, {}), (30, 0.3, {}), (51, [0.2, 0.5], {"pass_zero": False}),
                             (41, 0.25, {"pass_zero": False}), (61, [0.1, 0.3, 0.6], {}),
                             (101, 400.0, {"fs": 30000.0, "window": ("kaiser", 8.6)}),
                             (33, [150.0, 250.0], {"fs": 1000.0, "pass_zero": "bandpass", "window": "hann"}),
                             (25, 0.4, {"window": "blackman", "scale": False})]:
    taps = sig.firwin(numtaps, cutoff, **kw)
    kw = dict(kw)
    if "window" in kw and isinstance(kw["window"], tuple):
        kw["window"] = list(kw["window"])
    firwins.append({"numtaps": numtaps, "cutoff": cutoff, "opts": kw, "taps": taps.tolist()})
out["firwin"] = firwins
out["kaiserord"] = [{"ripple": r, "width": w, "numtaps": int(sig.kaiserord(r, w)[0]), "beta": float(sig.kaiserord(r, w)[1])}
                    for r, w in [(120, 25 / 15000), (60, 0.05), (30, 0.1), (15, 0.2)]]

taps = sig.firwin(41, 0.2)
y = sig.fftconvolve(x, taps[:, None], mode="same", axes=0)
out["fftconvolve_same"] = {"taps": taps.tolist(), "y": y.ravel().tolist()}

xl = rng.standard_normal((3000, 2)) + np.sin(np.arange(3000) * 0.01)[:, None]
out["decimate"] = {"rows": 3000, "cols": 2, "x": xl.ravel().tolist(),
                   "iir10": sig.decimate(xl, 10, axis=0).ravel().tolist(),
                   "iir10_causal": sig.decimate(xl, 10, axis=0, zero_phase=False).ravel().tolist(),
                   "fir5": sig.decimate(xl, 5, ftype="fir", axis=0).ravel().tolist(),
                   "cheby1_8_0.08": sig.cheby1(8, 0.05, 0.8 / 10, output="sos").ravel().tolist()}

b, a = sig.iirnotch(60.0, 30.0, 30000.0)
out["iirnotch"] = {"b": b.tolist(), "a": a.tolist()}

xw = rng.standard_normal((5000, 2)) + np.sin(2 * np.pi * 50 * np.arange(5000) / 1000)[:, None]
f, p = sig.welch(xw, fs=1000.0, nperseg=256, axis=0)
f2, p2 = sig.welch(xw, fs=1000.0, nperseg=200, noverlap=50, window="hamming", detrend="linear", scaling="spectrum", average="median", axis=0)
out["welch"] = {"rows": 5000, "cols": 2, "x": xw.ravel().tolist(), "f": f.tolist(), "p": p.ravel().tolist(),
                "f2": f2.tolist(), "p2": p2.ravel().tolist()}
json.dump(out, open("test/vectors/spectral.json", "w"))
print("wrote test/vectors/spectral.json")
