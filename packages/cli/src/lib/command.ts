import type { OptionTable } from './options.js';

/** What a command writes to: stdout for results, stderr for progress and errors. */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Working directory (the embedded store lives under `<cwd>/.spyglass/`). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How many threads a step may use (--threads; main's default os.availableParallelism()). Never part of a key. */
  threads?: number;
}

/**
 * One `spyglass <name>` subcommand. `run` gets the parsed flags and positionals and returns the
 * exit code; it throws UsageError on a command-line mistake (exit 2) and SpyglassError on bad data
 * (one-line reason, exit 1). `--help` is built from `options`, `step` and `examples`.
 */
export interface Command {
  name: string;
  summary: string;
  /** The positional arguments in the usage line (`FILE`, `PIPELINE FILE...`); empty when none. */
  args: string;
  options: OptionTable;
  /** The step whose parameters (default set) --help lists, when the command runs one. */
  step?: string;
  /** At least one complete command line. */
  examples: string[];
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CommandIO): Promise<number>;
}
