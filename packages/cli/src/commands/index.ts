import type { Command } from '../lib/command.js';
import { info } from './info.js';

/** Every `spyglass` subcommand, in the order `--help` lists them. Each lives in its own file. */
export const commands: Command[] = [info];
