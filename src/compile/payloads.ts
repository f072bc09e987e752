/**
 * Payloads the engine generates, so a tap can be traced back to the choice that offered it.
 *
 * Format (version 1, stable across restarts and deployments):
 * - a choice without an explicit `payload:`: `FS1:<flow>:<state>:<index>`, where `<index>`
 *   counts the state's quick replies first, then its buttons, from 0
 *   (`FS1:it-helpdesk:welcome:2`);
 * - a `persistent_menu` entry without `payload:`: `FS1:start:<flow>`;
 * - a global command: `FS1:cmd:<restart|cancel|help>`.
 * Flow ids and state names cannot contain `:`, so the format is unambiguous. An explicit
 * `payload:` always wins over the generated one.
 */
import type { CommandKey } from '../language/model.js';

/** The prefix of every generated payload. */
export const PAYLOAD_PREFIX = 'FS1:';

/** The generated payload of the choice at `index` (quick replies, then buttons) of a state. */
export function choicePayload(flowId: string, state: string, index: number): string {
  return `${PAYLOAD_PREFIX}${flowId}:${state}:${index}`;
}

/** The payload of a `persistent_menu` entry: its own `payload`, else `FS1:start:<flow>`. */
export function menuPayload(entry: { flow: string; payload?: string }): string {
  return entry.payload ?? `${PAYLOAD_PREFIX}start:${entry.flow}`;
}

/** The global commands a `FS1:cmd:<command>` payload can name. */
const COMMANDS: ReadonlySet<string> = new Set<CommandKey>(['restart', 'cancel', 'help']);
const COMMAND_PREFIX = `${PAYLOAD_PREFIX}cmd:`;

/** The payload that runs a global command when tapped (e.g. from a persistent menu). */
export function commandPayload(command: CommandKey): string {
  return COMMAND_PREFIX + command;
}

/** The command a payload from {@link commandPayload} runs; undefined for any other payload. */
export function payloadCommand(payload: string): CommandKey | undefined {
  if (!payload.startsWith(COMMAND_PREFIX)) return undefined;
  const name = payload.slice(COMMAND_PREFIX.length);
  return COMMANDS.has(name) ? (name as CommandKey) : undefined;
}

/** True for any payload in the generated format (whether or not its flow is still loaded). */
export function isGeneratedPayload(payload: string): boolean {
  return payload.startsWith(PAYLOAD_PREFIX);
}
