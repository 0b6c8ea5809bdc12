/**
 * The lab's main pipeline as a pipeline file (what `spyglass demo` runs, and a template for
 * `spyglass run`): LFP, position → ripples (speed-gated by the position step's speed) → sort →
 * mua-events (the sorted units' population bursts, the same gate) → decode (running error by the
 * position step's speed).
 */
export const MAIN_PIPELINE = `name: main
steps:
  - step: lfp
    inputs: { raw: $file }
  - step: position
    inputs: { session: $file }
  - step: ripples
    params: kay
    inputs: { lfp: lfp, position: position }
  - step: sort
    inputs: { raw: $file }
  - step: mua-events
    inputs: { spikes: sort, position: position }
  - step: decode
    inputs: { units: sort, session: $file, position: position }
`;
