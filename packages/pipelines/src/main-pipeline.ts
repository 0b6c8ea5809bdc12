/**
 * The lab's main pipeline as a pipeline file (what `spyglass demo` runs, and a template for
 * `spyglass run`): LFP, position → ripples (speed-gated by the position step's speed) → sort → decode.
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
  - step: decode
    inputs: { units: sort, session: $file }
`;
