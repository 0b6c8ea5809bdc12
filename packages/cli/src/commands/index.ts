import type { Command } from '../lib/command.js';
import { info } from './info.js';
import { lfpCommand } from './lfp.js';
import { ripplesCommand } from './ripples.js';
import { muaEventsCommand } from './mua-events.js';
import { runCommand } from './run.js';
import { exportCommand } from './export.js';
import { verifyCommand } from './verify.js';
import { logCommand } from './log.js';
import { workerCommand } from './worker.js';
import { demoCommand } from './demo.js';
import { decodeCommand } from './decode.js';
import { sortCommand } from './sort.js';
import { curateCommand } from './curate.js';
import { replayCommand } from './replay.js';
import { lsCommand, paramsCommand, rmCommand, showCommand } from './query.js';
import { storeCommand } from './store.js';
import { viewCommand } from './view.js';
import { reportCommand } from './report.js';

/** Every `spyglass` subcommand, in the order `--help` lists them. Each lives in its own file. */
export const commands: Command[] = [
  info,
  lfpCommand,
  ripplesCommand,
  muaEventsCommand,
  sortCommand,
  curateCommand,
  decodeCommand,
  replayCommand,
  runCommand,
  demoCommand,
  viewCommand,
  lsCommand,
  showCommand,
  paramsCommand,
  rmCommand,
  logCommand,
  exportCommand,
  reportCommand,
  verifyCommand,
  storeCommand,
  workerCommand,
];
