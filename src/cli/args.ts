/**
 * Argument parsing for every command, with node:util `parseArgs` in strict mode, turning
 * its errors into `UsageError`s written for a person: which option is wrong, and where to
 * find the right ones.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest } from '../language/rules/suggest.js';
import { UsageError } from './io.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Every command accepts `--help` / `-h`. */
const HELP: OptionSpec = { help: { type: 'boolean', short: 'h' } };

/**
 * Parses a command's arguments. Unknown options, missing option values and unexpected
 * values become a `UsageError` naming the command and suggesting the closest option.
 */
export function parseCommandArgs(command: string, args: readonly string[], options: OptionSpec): ParsedArgs {
  const all = { ...options, ...HELP };
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: all, strict: true, allowPositionals: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    const seeHelp = `Run \`flow ${command} --help\` to see its options.`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'([^']+)'/.exec((err as Error).message)?.[1] ?? '';
      const names = Object.keys(all).map((n) => `--${n}`);
      const near = given.startsWith('--') ? closest(given.split('=')[0]!, names) : undefined;
      const hint = near ? ` Did you mean ${near}?` : '';
      throw new UsageError(`\`flow ${command}\` has no option ${given || 'like that'}.${hint} ${seeHelp}`);
    }
    throw new UsageError(`${plainParseMessage((err as Error).message)} ${seeHelp}`);
  }
}

function plainParseMessage(message: string): string {
  const m = /^Option '([^']+)' argument missing/.exec(message);
  if (m) return `The option ${m[1]!.split(',').pop()!.trim().replace(/ <value>$/, '')} needs a value.`;
  return message.replace(/\.?$/, '.');
}

/** The one value of a string option among `allowed`, or the default. */
export function choiceOption<T extends string>(command: string, name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`\`--${name} ${String(value)}\` is not a choice of \`flow ${command}\`: use one of ${allowed.join(', ')}.`);
}

/** A non-negative whole number option, or undefined when not given. */
export function countOption(command: string, name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new UsageError(`\`--${name}\` of \`flow ${command}\` needs a whole number of 0 or more, not "${text}".`);
  return Number(text);
}
