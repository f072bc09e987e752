/**
 * The `flow` command: maps argv to a command and an exit code (0 ok, 1 problems found or
 * tests failed, 2 bad usage, 3 internal failure). Every effect goes through the injected
 * `io`, so tests drive it with streams in memory.
 */
import { readFileSync } from 'node:fs';
import { closest, didYouMean } from '../language/rules/suggest.js';
import type { Command } from './command.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { validateCommand } from './validate-command.js';
import { testCommand } from './test-command.js';
import { chatCommand } from './chat-command.js';
import { graphCommand } from './graph-command.js';
import { serveCommand } from './serve-command.js';

/** Every command, in the order `flow --help` lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, testCommand, chatCommand, graphCommand, serveCommand];

/** The package version, read from package.json (two folders above this file in src/ and dist/). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** The text of `flow --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'flow: write, check, test and run Flowstate conversation flows.',
    '',
    'Usage: flow <command> [options] [paths...]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help (or `flow <command> --help` for one command)',
    '  -v, --version  print the version',
    '',
    'Exit codes: 0 no problem, 1 problems found or tests failed, 2 bad usage, 3 internal failure.',
    '',
  ].join('\n');
}

/** Runs `flow` with the arguments after the program name; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      io.stderr.write(mainHelp());
      return EXIT.usage;
    }
    if (first === '--help' || first === '-h') {
      io.stdout.write(mainHelp());
      return EXIT.ok;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    if (first === 'help') {
      const target = rest[0] === undefined ? undefined : findCommand(rest[0]);
      io.stdout.write(target ? target.help : mainHelp());
      return EXIT.ok;
    }
    const command = findCommand(first);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(command.help);
      return EXIT.ok;
    }
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`flow: ${err.message}\n`);
      return EXIT.usage;
    }
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.stderr.write(`flow: internal failure (a bug, or a file that cannot be read): ${detail}\n`);
    return EXIT.internal;
  }
}

function findCommand(name: string): Command {
  const found = COMMANDS.find((c) => c.name === name);
  if (found) return found;
  const names = COMMANDS.map((c) => c.name);
  const option = name.startsWith('-');
  const what = option ? `unknown option ${name}` : `unknown command "${name}"`;
  const hint = option ? '' : didYouMean(closest(name, names));
  throw new UsageError(`${what}.${hint} The commands are: ${names.join(', ')}. Run \`flow --help\` for details.`);
}
