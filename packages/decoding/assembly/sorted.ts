// Poisson log-likelihood of sorted spikes: out[t, b] = baseline[b] + sum over spikes s in time bin t
// of logRate[unit(s), b], where logRate = log(lambda * dt) and baseline = -sum_units lambda * dt.
// Spikes are given sparsely (bin, unit), so the cost is (time bins + spikes) x position bins.

export function sortedLogLikelihood(
  spikeBin: usize, spikeUnit: usize, nSpikes: i32,
  logRate: usize, baseline: usize, nBins: i32,
  out: usize, nTime: i32,
): void {
  const rowBytes = <usize>nBins << 3;
  const pairs = nBins >> 1;
  for (let t = 0; t < nTime; t++) memory.copy(out + <usize>t * rowBytes, baseline, rowBytes);
  for (let s = 0; s < nSpikes; s++) {
    const t = load<i32>(spikeBin + (<usize>s << 2));
    if (t < 0 || t >= nTime) continue;
    const dst = out + <usize>t * rowBytes;
    const src = logRate + <usize>load<i32>(spikeUnit + (<usize>s << 2)) * rowBytes;
    for (let p = 0; p < pairs; p++) {
      const o = <usize>p << 4;
      v128.store(dst + o, f64x2.add(v128.load(dst + o), v128.load(src + o)));
    }
    if (nBins & 1) {
      const o = <usize>(nBins - 1) << 3;
      store<f64>(dst + o, load<f64>(dst + o) + load<f64>(src + o));
    }
  }
}
