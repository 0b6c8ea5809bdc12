/** Types of scripts/fuzz.mjs for the tests. */
export interface FuzzCounts {
  files: number;
  identical: number;
  clean: number;
  warned: number;
  changed: number;
  silent: number;
  crash: number;
  hang: number;
  stderr: number;
}
export interface FuzzNotable {
  label: string;
  outcome: string;
  detail?: string;
  stderr?: string;
}
export function runFuzz(options?: {
  files?: number;
  seed?: number;
  timeoutMs?: number;
  bases?: string[];
  log?: (line: string) => void;
}): Promise<{ counts: FuzzCounts; notable: FuzzNotable[] }>;
export function compressedChunks(bytes: Uint8Array): [number, number][];
export function rng(seed: number): () => number;
export function fixtureFiles(dir?: string): string[];
export function writeSmallFiles(dir: string): Promise<string[]>;
