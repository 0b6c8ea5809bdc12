import type { ParseArgsConfig } from 'node:util';

/** What a command writes to: stdout for results, stderr for progress and errors. */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Working directory (the embedded store lives under `<cwd>/.spyglass/`). */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * One `spyglass <name>` subcommand. `run` gets the parsed flags and positionals and returns the
 * exit code; it throws SpyglassError (one-line reason, exit 1) on bad input.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: CommandIO): Promise<number>;
}
