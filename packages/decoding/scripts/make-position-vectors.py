"""Reference vectors for processPosition (packages/decoding/src/position).

An independent numpy/scipy re-implementation of Spyglass's Trodes position recipe
(TrodesPosV1 -> IntervalPositionInfo.calculate_position_info with position_tools' helpers),
run on a seeded noisy two-LED trajectory. Deviations from Spyglass, shared with processPosition:
gaps are interpolated in time (Spyglass: by sample index) and only when the valid samples either
side are at most `max_gap` s apart; upsampling interpolates linearly in time (Spyglass's pandas
'linear' treats the merged grid as evenly spaced); a standard deviation of 0 means no smoothing.

Run: python3 packages/decoding/scripts/make-position-vectors.py
Writes packages/decoding/test/vectors/position.json.
"""
import json
import math
from pathlib import Path

import numpy as np
from scipy.ndimage import gaussian_filter1d

CM_PER_UNIT = {"cm": 1.0, "m": 100.0, "mm": 0.1}


def smooth(x, sigma_samples):
    if sigma_samples == 0:
        return np.array(x, dtype=float)
    return gaussian_filter1d(x, sigma_samples, truncate=8, mode="constant", axis=0)


def velocity(xy, t, sigma_samples):
    return smooth(np.gradient(xy, t, axis=0), sigma_samples)


def fill_gaps(xy, t, max_gap):
    """Linear in time across NaN runs whose bracketing valid rows are <= max_gap s apart."""
    usable = np.all(np.isfinite(xy), axis=1)
    out = xy.copy()
    idx = np.flatnonzero(usable)
    for a, b in zip(idx[:-1], idx[1:]):
        if b - a > 1 and t[b] - t[a] <= max_gap:
            for c in range(xy.shape[1]):
                slope = (xy[b, c] - xy[a, c]) / (t[b] - t[a])
                run = np.arange(a + 1, b)
                run = run[~np.isfinite(xy[run, c])]
                out[run, c] = slope * (t[run] - t[a]) + xy[a, c]
    out[~np.isfinite(out)] = np.nan
    return out


def trailing_mean(x, window):
    """bottleneck.move_mean(x, window, axis=0, min_count=1)."""
    out = np.empty_like(x)
    for i in range(len(x)):
        chunk = x[max(0, i - window + 1): i + 1]
        count = np.sum(~np.isnan(chunk), axis=0)
        with np.errstate(invalid="ignore"):
            out[i] = np.where(count > 0, np.nansum(chunk, axis=0) / np.maximum(count, 1), np.nan)
    return out


def resample(xy, t, new_t):
    out = np.empty((len(new_t), xy.shape[1]))
    j = np.clip(np.searchsorted(t, new_t, side="right") - 1, 0, len(t) - 2)
    for c in range(xy.shape[1]):
        lo, hi = xy[j, c], xy[j + 1, c]
        with np.errstate(invalid="ignore"):
            v = (hi - lo) / (t[j + 1] - t[j]) * (new_t - t[j]) + lo
        v = np.where(new_t == t[j], lo, v)
        v = np.where(new_t == t[j + 1], hi, v)
        out[:, c] = v
    return out


def process(t, led1, led2, unit="cm", cm_per_pixel=None, max_sep=9.0, max_speed=300.0, max_gap=math.inf,
            smoothing_duration=0.125, speed_std=0.1, orient_std=0.001, led1_is_front=True, upsample_rate=None):
    scale = cm_per_pixel if unit == "px" else CM_PER_UNIT[unit]
    leds = [np.array(led1, float) * scale] + ([np.array(led2, float) * scale] if led2 is not None else [])
    for led in leds:
        led[~np.isfinite(led)] = np.nan
    fs = 1 / np.median(np.diff(t))
    n = len(t)
    bad = np.zeros(n, bool)
    if len(leds) == 2:
        far = np.linalg.norm(leds[1] - leds[0], axis=1) >= max_sep
        for led in leds:
            led[far] = np.nan
        bad |= far
    fast = np.zeros(n, bool)
    for led in leds:
        v = velocity(led, t, speed_std * fs)
        with np.errstate(invalid="ignore"):
            fast |= np.sqrt(np.sum(v ** 2, axis=1)) > max_speed
    for led in leds:
        led[fast] = np.nan
    dropped = int(np.sum(bad | fast))
    window = max(1, int(smoothing_duration * fs))
    leds = [trailing_mean(fill_gaps(led, t, max_gap), window) for led in leds]
    rate = fs
    out_t = t
    if upsample_rate is not None:
        count = int(np.ceil((t[-1] - t[0]) * upsample_rate)) + 1
        out_t = np.linspace(t[0], t[-1], count)
        leds = [resample(led, t, out_t) for led in leds]
        rate = upsample_rate
    front, back = (leds[0], leds[-1]) if led1_is_front or len(leds) == 1 else (leds[1], leds[0])
    position = (back + front) / 2
    if len(leds) == 2:
        orientation = np.arctan2(front[:, 1] - back[:, 1], front[:, 0] - back[:, 0])
        ok = ~np.isnan(orientation)
        orientation[ok] = np.unwrap(orientation[ok])
        orientation[ok] = smooth(orientation[ok], orient_std * rate)
        orientation[ok] = np.angle(np.exp(1j * orientation[ok]))
    else:
        orientation = np.full(len(out_t), np.nan)
    vel = velocity(position, out_t, speed_std * rate)
    speed = np.sqrt(np.sum(vel ** 2, axis=1))
    return dict(times=out_t, position=position, orientation=orientation, velocity=vel, speed=speed, dropped=dropped)


def trajectory(rng, seconds, fs=30.0, separation=5.0, noise=0.5):
    """A smooth random walk in a 100 cm box, head along the heading, LEDs ± separation/2, jittered frame times."""
    n = int(seconds * fs)
    t = np.arange(n) / fs + rng.uniform(-0.002, 0.002, n)
    heading = np.cumsum(gaussian_filter1d(rng.normal(0, 0.15, n), 3))
    run = 10 + 25 * (1 + np.sin(2 * np.pi * np.arange(n) / fs / 7)) / 2  # 10-35 cm/s
    step = run / fs
    x = 50 + np.cumsum(step * np.cos(heading))
    y = 50 + np.cumsum(step * np.sin(heading))
    x, y = 50 + 40 * np.sin((x - 50) / 40), 50 + 40 * np.sin((y - 50) / 40)  # fold into the box
    head = np.stack([np.cos(heading), np.sin(heading)], axis=1) * separation / 2
    centre = np.stack([x, y], axis=1)
    led1 = centre + head + rng.normal(0, noise, (n, 2))
    led2 = centre - head + rng.normal(0, noise, (n, 2))
    return t, led1, led2


def as_list(a, digits=12):
    """NaN as null; outputs to 12 significant digits (inputs are rounded before processing, so exact)."""
    return [None if not np.isfinite(v) else float(f"{v:.{digits}g}") for v in np.ravel(a)]


def rounded(*arrays):
    return [None if a is None else np.round(a, 4) for a in arrays]


def case(name, t, led1, led2, options, result):
    return {
        "name": name,
        "times": as_list(t, 17),
        "led1": as_list(led1, 17),
        "led2": None if led2 is None else as_list(led2, 17),
        "options": options,
        "expected": {k: (v if k == "dropped" else as_list(v)) for k, v in result.items()},
    }


def main():
    rng = np.random.default_rng(20261204)
    cases = []

    # A: 20 s in pixels (2 px/cm) with a reflection on LED 2, a teleport of both LEDs, a short and a long gap.
    t, led1, led2 = trajectory(rng, 20)
    led2[100] += 20                    # separation rule
    led1[200:205, 0] += 150            # both LEDs 150 cm away for 5 frames: speed rule
    led2[200:205, 0] += 150
    led1[300:306] = np.nan             # 0.2 s lost: interpolated
    led2[300:306] = np.nan
    led1[400:451] = np.nan             # 1.7 s lost: longer than maxGap, stays NaN
    led2[400:451] = np.nan
    px = 2.0
    t, led1, led2 = np.round(t, 6), *rounded(led1 * px, led2 * px)
    cases.append(case("pixels, glitches and gaps", t, led1, led2,
                      {"unit": "px", "pixelsPerCm": px, "maxGap": 1.0},
                      process(t, led1, led2, unit="px", cm_per_pixel=1 / px, max_gap=1.0)))

    # B: 3 s in metres, LED 2 in front, upsampled to 500 Hz.
    t, led1, led2 = trajectory(rng, 3)
    t, led1, led2 = np.round(t, 6), np.round(led1 / 100, 6), np.round(led2 / 100, 6)
    cases.append(case("metres, led2 in front, upsampled", t, led1, led2,
                      {"unit": "m", "led1IsFront": False, "upsample": True},
                      process(t, led1, led2, unit="m", led1_is_front=False, upsample_rate=500.0)))

    # C: one LED in millimetres, 10 s, other smoothing settings.
    t, led1, _ = trajectory(rng, 10)
    t, led1 = np.round(t, 6), np.round(led1 * 10, 3)
    options = {"unit": "mm", "positionSmoothingDuration": 0.2, "speedSmoothingStd": 0.05}
    cases.append(case("one LED, millimetres", t, led1, None, options,
                      process(t, led1, None, unit="mm", smoothing_duration=0.2, speed_std=0.05)))

    out = Path(__file__).resolve().parent.parent / "test" / "vectors" / "position.json"
    out.write_text(json.dumps({"generator": "packages/decoding/scripts/make-position-vectors.py", "numpy": np.__version__, "cases": cases}) + "\n")
    print(out, out.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
