export { main } from './lib/main.js';
export { commands } from './commands/index.js';
export type { Command, CommandIO } from './lib/command.js';
export { printJson, progress } from './lib/output.js';
