/**
 * What a command may touch of the outside world, injected by `bin/flow.js` (the real
 * process) or by a test (streams in memory), so commands never reach for `process.*`.
 */

/** A writable stream; `isTTY` is true on a terminal (colours are used only then). */
export interface CliOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: CliOutput;
  stderr: CliOutput;
  env: NodeJS.ProcessEnv;
  /** The working directory: relative paths given on the command line and in output are relative to it. */
  cwd: string;
}

/** The exit codes of every command (house style 11). */
export const EXIT = {
  /** No problem. */
  ok: 0,
  /** Problems found, or tests failed. */
  problems: 1,
  /** Bad usage: unknown command or option, missing argument, path that does not exist. */
  usage: 2,
  /** Internal failure: a bug or an unreadable file. */
  internal: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad usage: main prints the message on stderr and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Colours only on a terminal and when NO_COLOR is unset (https://no-color.org). */
export function useColor(io: CliIo, stream: CliOutput = io.stdout): boolean {
  return stream.isTTY === true && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '');
}
