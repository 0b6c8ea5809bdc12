/**
 * The lab's main pipeline as a pipeline file (what `spyglass demo` runs, and a template for
 * `spyglass run`): LFP → ripples (speed-gated by the session's position) → sort → decode.
 */
export const MAIN_PIPELINE = `name: main
steps:
  - step: lfp
    inputs: { raw: $file }
  - step: ripples
    params: kay
    inputs: { lfp: lfp, session: $file }
  - step: sort
    inputs: { raw: $file }
  - step: decode
    inputs: { units: sort, session: $file }
`;
