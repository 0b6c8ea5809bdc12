import type { Command } from '../lib/command.js';

/** Every `spyglass` subcommand, in the order `--help` lists them. Each lives in its own file. */
export const commands: Command[] = [];
