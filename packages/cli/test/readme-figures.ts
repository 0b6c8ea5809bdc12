import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * The root README quotes the demo's figures (all but its run time) as `spyglass demo` prints them
 * (`--json`: `figures`). Shared by the demo test in the repository and the one from packed tarballs.
 */
export function expectReadmeFigures(f: Record<string, number>): void {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
  const numbers = (re: RegExp) => {
    const m = re.exec(readme);
    expect(m, String(re)).not.toBeNull();
    return m!.slice(1).map(Number);
  };
  expect(numbers(/On the bundled (\d+) s session/)).toEqual([f.sessionSeconds]);
  expect(numbers(/finds (\d+) sharp-wave ripples \((\d+) simulated\)/)).toEqual([f.ripples, f.simulatedRipples]);
  expect(
    numbers(/sorts (\d+) units of which metric curation accepts (\d+) \((\d+) simulated\) and labels (\d+) noise/),
  ).toEqual([f.units, f.accepted, f.simulatedUnits, f.noise]);
  expect(numbers(/held-out last (\d+) % \((\d+) s\) with a median error of ([\d.]+) cm/)).toEqual([
    f.heldOutPercent,
    f.heldOutSeconds,
    f.medianErrorCm,
  ]);
  expect(numbers(/linear-track-units\.nwb` the median error is ([\d.]+) cm/)).toEqual([f.trackMedianErrorCm]);
  expect(numbers(/It took (\d+) s the first time [^.]* and (\d+) s when every result was reused/)).toHaveLength(2);
}
