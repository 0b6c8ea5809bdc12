#!/usr/bin/env python3
"""Reference vectors for dsp-wasm's LFP band analysis (Debian python3-scipy).

Spyglass's bands at the 1 kHz LFP rate: 'Ripple 150-250 Hz' (edges 140, 150, 250, 260) and
'Theta 5-11 Hz' (4, 5, 11, 12), here as Kaiser-window FIRs (kaiserord at 60 dB, cutoffs mid-
transition), zero phase with zeros beyond the ends (fftconvolve 'same'), then scipy.signal.hilbert:
phase = angle + pi (Spyglass's LFPBandV1.compute_signal_phase), power = |analytic|^2.

Run from packages/dsp-wasm: /usr/bin/python3 scripts/make-lfp-band-vectors.py
Writes test/vectors/lfp-band.json.
"""
import json
import numpy as np
import scipy
import scipy.signal as sig

fs = 1000.0
rng = np.random.default_rng(8)
n = 1200
t = np.arange(n) / fs
x = np.round(rng.standard_normal((n, 2)) * 20 + 80 * np.sin(2 * np.pi * 8 * t)[:, None]
             + (40 * np.exp(-0.5 * ((t - 0.6) / 0.015) ** 2) * np.sin(2 * np.pi * 190 * t))[:, None], 4)

def band_taps(lo, hi, tw):
    numtaps, beta = sig.kaiserord(60, tw / (fs / 2))
    numtaps |= 1
    return sig.firwin(numtaps, [lo - tw / 2, hi + tw / 2], window=("kaiser", beta), pass_zero=False, fs=fs)

ripple = band_taps(150, 250, 10)
theta = band_taps(5, 11, 1)
y = sig.fftconvolve(x, ripple[:, None], mode="same", axes=0)
a = sig.hilbert(y, axis=0)
out = {"scipy": scipy.__version__, "fs": fs, "rows": n, "cols": 2, "x": x.ravel().tolist(),
       "ripple": {"numtaps": len(ripple), "taps_mid": ripple[len(ripple) // 2 - 3: len(ripple) // 2 + 4].tolist(),
                  "filtered": y.ravel().tolist(), "phase": (np.angle(a) + np.pi).ravel().tolist(),
                  "power": (np.abs(a) ** 2).ravel().tolist()},
       "theta": {"numtaps": len(theta), "taps_mid": theta[len(theta) // 2 - 3: len(theta) // 2 + 4].tolist()}}
json.dump(out, open("test/vectors/lfp-band.json", "w"))
print("ripple taps", len(ripple), "theta taps", len(theta))
