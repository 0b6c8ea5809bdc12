#!/usr/bin/env node
import { commands } from './commands/index.js';
import { main } from './lib/main.js';

main(process.argv.slice(2), commands, {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
