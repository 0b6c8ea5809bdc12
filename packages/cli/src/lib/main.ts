import { parseArgs } from 'node:util';
import { SpyglassError } from '@spyglass-wasm/core';
import { joinNegativeValues } from './args.js';
import type { Command, CommandIO } from './command.js';
import { commandHelp, defaultThreads, parseConfig, usageLine, UsageError } from './options.js';
// Inlined into dist/ by the bundler: no file is read at run time.
import cliPackage from '../../package.json';

/** This command's version: the @spyglass-wasm/cli package version. */
const VERSION: string = cliPackage.version;

/**
 * Runs `spyglass <command> ...args`. Returns the exit code: 0 ok; 2 a usage error (unknown
 * command or option, a missing or extra argument, an option value of the wrong type or out of
 * bounds); 1 bad data or a failed step (a missing or unreadable file, not NWB, an interval the
 * file does not have, a verify that does not reproduce). Errors are one line on stderr (usage
 * errors add the usage line). `spyglass --version` (or `-V`) prints the version.
 *
 * @example
 * const code = await main(['--version'], commands, { stdout: process.stdout, stderr: process.stderr, cwd:
 * process.cwd(), env: process.env });
 */
export async function main(argv: string[], commands: Command[], io: CommandIO): Promise<number> {
  // --quiet / --verbose anywhere on the line: no progress on stderr / stack traces of unexpected errors
  if (argv.includes('--quiet') || argv.includes('-q')) io = { ...io, env: { ...io.env, SPYGLASS_QUIET: '1' } };
  if (argv.includes('--verbose')) io = { ...io, env: { ...io.env, SPYGLASS_DEBUG: '1' } };
  let threads: number | undefined;
  try {
    ({ argv, threads } = takeThreads(argv));
  } catch (err) {
    io.stderr.write(`spyglass: ${(err as Error).message}\n`);
    return 2;
  }
  io = { ...io, threads: threads ?? io.threads ?? defaultThreads() };
  const [name, ...rest] = argv.filter((a) => a !== '--quiet' && a !== '-q' && a !== '--verbose');
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText(commands));
    return name ? 0 : 2;
  }
  if (!command) {
    io.stderr.write(`spyglass: unknown command '${name}' (try 'spyglass --help')\n`);
    return 2;
  }
  const usage = () =>
    io.stderr.write(`usage: ${usageLine(command)}   (spyglass ${command.name} --help lists the options)\n`);
  let args: { values: Record<string, unknown>; positionals: string[] };
  try {
    const options = { ...parseConfig(command.options), help: { type: 'boolean', short: 'h' } } as const;
    args = parseArgs({
      args: joinNegativeValues(rest, options),
      options,
      allowPositionals: true,
      strict: true,
    }) as typeof args;
  } catch (err) {
    io.stderr.write(`spyglass ${name}: ${(err as Error).message}\n`);
    usage();
    return 2;
  }
  if (args.values.help) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    const reason = err instanceof SpyglassError ? err.message : `${(err as Error)?.message ?? err}`;
    io.stderr.write(`spyglass ${name}: ${reason.split('\n')[0]}\n`);
    if (err instanceof UsageError) {
      usage();
      return 2;
    }
    if (!(err instanceof SpyglassError) && io.env.SPYGLASS_DEBUG) io.stderr.write(`${(err as Error)?.stack}\n`);
    return 1;
  }
}

/**
 * Takes `--threads N` (or `--threads=N`) from anywhere before `--` on the line: every command takes it
 * (only steps that can use threads do). A value that is not an integer of at least 1 is a UsageError.
 */
function takeThreads(argv: string[]): { argv: string[]; threads?: number } {
  const out: string[] = [];
  let threads: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a !== '--threads' && !a.startsWith('--threads=')) {
      out.push(a);
      continue;
    }
    const raw = a === '--threads' ? argv[++i] : a.slice('--threads='.length);
    const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
    if (!(Number.isInteger(n) && n >= 1))
      throw new UsageError('--threads', 'an integer of at least 1', raw ?? 'nothing');
    threads = n;
  }
  return { argv: out, threads };
}

function helpText(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return (
    'usage: spyglass <command> [options]\n\n' +
    commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n') +
    '\n\nspyglass <command> --help lists its options with their defaults, and examples. Every command takes --help,\n' +
    '--quiet (no progress), --verbose (stack traces of unexpected errors) and --threads N (threads a step may use,\n' +
    `default os.availableParallelism(): ${defaultThreads()} here; never part of a result key); those with results take --json.\n` +
    'Exit status: 0 ok, 1 bad data or a failed step, 2 a usage error. spyglass --version prints the version.\n'
  );
}
