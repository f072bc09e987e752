/** The shape of one `flow` command: its name, a one-line summary, its help, and its run. */
import type { CliIo } from './io.js';

export interface Command {
  name: string;
  /** One line for `flow --help`. */
  summary: string;
  /** The full text of `flow <name> --help`. */
  help: string;
  /** Runs the command; resolves to its exit code. Throws `UsageError` for bad usage. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
