#!/usr/bin/env python3
"""Reference vectors for sosfiltfilt's precision rule, from scipy (Debian python3-scipy).

Run from packages/dsp-wasm: /usr/bin/python3 scripts/make-precision-vectors.py
Writes test/vectors/sos-precision.json. The input is not stored: both sides generate it with the
same integer LCG (test/sos-precision.test.ts, `lcgSignal`), cast to float32. Outputs are kept at
every STEP-th row to keep the file small.
"""
import json
import numpy as np
import scipy
import scipy.signal as sig

ROWS, COLS, STEP, FS = 140000, 2, 500, 30000.0


def lcg_signal(rows, cols, seed, lf_amplitude):
    """Sum of four uniforms (near-Gaussian, unit variance) per sample plus a slow sine."""
    s = seed
    out = np.empty(rows * cols)
    for i in range(rows * cols):
        acc = 0.0
        for _ in range(4):
            s = (s * 1664525 + 1013904223) % 2**32
            acc += (s + 0.5) / 2**32
        row = i // COLS
        out[i] = (acc - 2.0) * 3.0**0.5 + lf_amplitude * np.sin(2 * np.pi * 0.5 * row / FS)
    return out.astype(np.float32).reshape(rows, cols)


cases = []
for name, sos, amp in [
    ("bandpass 300-6000", sig.butter(4, [300.0, 6000.0], btype="bandpass", fs=FS, output="sos"), 0.0),
    ("lowpass 1 Hz", sig.butter(4, 1.0, btype="lowpass", fs=FS, output="sos"), 5.0),
]:
    x = lcg_signal(ROWS, COLS, 12345, amp)
    y = sig.sosfiltfilt(sos, x.astype(np.float64), axis=0)
    cases.append({
        "name": name, "seed": 12345, "lfAmplitude": amp, "sos": sos.ravel().tolist(),
        "rms": float(np.sqrt(np.mean(y**2))), "y": y[::STEP].ravel().tolist(),
    })
json.dump({"scipy": scipy.__version__, "rows": ROWS, "cols": COLS, "step": STEP, "fs": FS, "cases": cases},
          open("test/vectors/sos-precision.json", "w"))
print("wrote test/vectors/sos-precision.json")
