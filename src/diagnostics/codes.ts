/**
 * The catalogue of every diagnostic the validator can report: one entry per code, with its
 * rule id, severity and a one-line summary. `docs/diagnostics.md` documents each code with a
 * wrong example, the message and the fix; `test/diagnostics/catalogue.test.ts` keeps the two
 * in step. Codes are stable: never reuse or renumber one.
 *
 * Ranges: FS0xx YAML, FS1xx file shape (schema), FS2xx states and targets, FS3xx questions
 * (`ask`), FS4xx platform limits and payloads, FS5xx templates, conditions and variables,
 * FS6xx bot settings and cross-file checks, FS7xx flow tests.
 */
import type { Severity } from './diagnostic.js';

export interface CodeInfo {
  code: string;
  rule: string;
  severity: Severity;
  summary: string;
}

const list = [
  // YAML
  { code: 'FS001', rule: 'yaml-syntax', severity: 'error', summary: 'The file is not valid YAML.' },
  { code: 'FS002', rule: 'yaml-duplicate-key', severity: 'error', summary: 'A key appears twice in the same map.' },
  { code: 'FS003', rule: 'yaml-tab-indent', severity: 'error', summary: 'A tab is used for indentation.' },
  { code: 'FS004', rule: 'yaml-multiple-documents', severity: 'error', summary: 'The file holds several YAML documents (`---`).' },
  { code: 'FS005', rule: 'yaml-anchor', severity: 'error', summary: 'Anchors (`&name`) are not allowed.' },
  { code: 'FS006', rule: 'yaml-alias', severity: 'error', summary: 'Aliases (`*name`) are not allowed.' },
  { code: 'FS007', rule: 'yaml-merge-key', severity: 'error', summary: 'Merge keys (`<<`) are not allowed.' },
  { code: 'FS008', rule: 'yaml-empty-file', severity: 'error', summary: 'The file is empty.' },
  { code: 'FS009', rule: 'file-unreadable', severity: 'error', summary: 'The file could not be read.' },
  // --- FS1xx: file shape (schema validation, src/language/schema*.ts) ---
  { code: 'FS101', rule: 'unknown-key', severity: 'error', summary: 'A key that is not allowed at this place (often a typo).' },
  { code: 'FS102', rule: 'wrong-type', severity: 'error', summary: 'A value of the wrong kind: a text where a list is expected, a list where a map is expected, and so on.' },
  { code: 'FS103', rule: 'missing-key', severity: 'error', summary: 'A required key is missing (for example `states`, a choice\'s `title`, an `ask`\'s `save`).' },
  { code: 'FS104', rule: 'invalid-value', severity: 'error', summary: 'A value that is not one of the allowed ones, or out of range (an unknown `ask.type`, `attempts: 0`).' },
  { code: 'FS105', rule: 'too-many-items', severity: 'error', summary: 'A list longer than allowed (more than 13 quick replies, more than 3 buttons).' },
  { code: 'FS106', rule: 'empty-value', severity: 'error', summary: 'An empty list, map or text where at least one entry is needed.' },
  { code: 'FS107', rule: 'conflicting-keys', severity: 'error', summary: 'Keys that cannot be used together (`goto` and `url` on one button, `json` and `form` on one call).' },
  { code: 'FS108', rule: 'invalid-name', severity: 'error', summary: 'A flow id, state name, variable name or language code in the wrong form.' },
  { code: 'FS109', rule: 'invalid-duration', severity: 'error', summary: 'A duration not written as a number and a unit (`10s`, `30m`, `1h30m`, `2d`).' },
  { code: 'FS110', rule: 'duplicate-item', severity: 'error', summary: 'The same entry appears twice in a list that must not repeat (keywords, languages, commands).' },
  // --- end FS1xx ---
  // --- FS2xx-FS6xx: semantic rules (src/language/rules/) ---
  // States and targets
  { code: 'FS201', rule: 'unknown-state', severity: 'error', summary: 'A `goto`, `next`, `on_fail`, `on_error` or timer `goto` names a state that is not in this flow.' },
  { code: 'FS202', rule: 'unknown-flow', severity: 'error', summary: 'A `flow:` target names a flow that is not in this folder.' },
  { code: 'FS203', rule: 'missing-start-state', severity: 'error', summary: '`start` names a state that is not in this flow.' },
  { code: 'FS204', rule: 'unreachable-state', severity: 'warning', summary: 'No path from the start state leads to this state.' },
  { code: 'FS205', rule: 'dead-end-state', severity: 'error', summary: 'A state neither waits for the person, moves on (`next`), nor ends (`end: true`).' },
  { code: 'FS206', rule: 'unknown-moved-target', severity: 'error', summary: 'A `moved:` entry sends old conversations to a state that is not in this flow.' },
  { code: 'FS207', rule: 'branch-after-default', severity: 'warning', summary: 'A `next` branch comes after a branch without `if`, so it can never be taken.' },
  { code: 'FS208', rule: 'loop-without-wait', severity: 'error', summary: 'States that move on by themselves (`next`, no question, choices or call) lead back to themselves, so they would repeat forever.' },
  // Questions (ask)
  { code: 'FS301', rule: 'ask-bad-pattern', severity: 'error', summary: 'An `ask` pattern is not a valid regular expression.' },
  { code: 'FS302', rule: 'ask-bad-range', severity: 'error', summary: 'An `ask` has `min` above `max`, or `min_length` above `max_length`.' },
  { code: 'FS303', rule: 'ask-option-mismatch', severity: 'error', summary: 'An `ask` option does not apply to its `type` (e.g. `min_length` on an `integer`).' },
  // Platform limits and payloads
  { code: 'FS401', rule: 'title-too-long', severity: 'error', summary: 'A quick reply or button title is longer than 20 characters.' },
  { code: 'FS402', rule: 'button-text-too-long', severity: 'error', summary: 'The message that carries buttons is longer than 640 characters.' },
  { code: 'FS403', rule: 'text-too-long', severity: 'error', summary: 'A message is longer than 2000 characters.' },
  { code: 'FS404', rule: 'duplicate-payload', severity: 'error', summary: 'Two choices of the same state have the same payload.' },
  { code: 'FS405', rule: 'duplicate-choice-title', severity: 'error', summary: 'Two choices of the same state have the same title.' },
  // Templates, conditions and variables
  { code: 'FS501', rule: 'template-syntax', severity: 'error', summary: 'A template (`{{...}}`) is not valid.' },
  { code: 'FS502', rule: 'unknown-helper', severity: 'error', summary: 'A template uses a helper that does not exist.' },
  { code: 'FS503', rule: 'undefined-variable', severity: 'error', summary: 'A variable is used but saved nowhere in this flow.' },
  { code: 'FS504', rule: 'unknown-profile-field', severity: 'error', summary: '`user.x` names a field the profile does not have.' },
  { code: 'FS505', rule: 'env-not-allowed', severity: 'error', summary: '`env.X` names a variable that `bot.yaml` does not list in `env_allow`.' },
  { code: 'FS506', rule: 'variable-maybe-unset', severity: 'warning', summary: 'A variable is used on a path from `start` where nothing has saved it yet.' },
  { code: 'FS507', rule: 'condition-syntax', severity: 'error', summary: 'An `if:` condition is not a valid expression.' },
  { code: 'FS508', rule: 'missing-translation', severity: 'warning', summary: 'A text map lacks a language that `bot.yaml` lists in `languages`.' },
  { code: 'FS509', rule: 'unknown-language', severity: 'warning', summary: 'A text map has a language that `bot.yaml` does not list in `languages`.' },
  // Bot settings and cross-file checks
  { code: 'FS601', rule: 'duplicate-flow-id', severity: 'error', summary: 'Two flow files have the same flow id.' },
  { code: 'FS602', rule: 'duplicate-keyword', severity: 'warning', summary: 'Two flows have the same trigger keyword.' },
  { code: 'FS603', rule: 'unknown-bot-flow', severity: 'error', summary: '`bot.yaml` names a flow that is not in the folder.' },
  { code: 'FS604', rule: 'call-host-not-allowed', severity: 'error', summary: 'A `call` reaches a host that `bot.yaml` does not list in `call_allow`.' },
  { code: 'FS605', rule: 'no-default-flow', severity: 'warning', summary: 'Several flows and no `default_flow`: unexpected messages only get the fallback.' },
  { code: 'FS606', rule: 'keyword-is-command', severity: 'warning', summary: 'A trigger keyword is also a global command, so the command always wins.' },
  { code: 'FS607', rule: 'bad-duration', severity: 'error', summary: 'A duration is not usable (zero, or too large).' },
  { code: 'FS608', rule: 'timer-exceeds-session', severity: 'warning', summary: 'A timer is longer than `session_timeout`, so it can never fire.' },
  // --- end FS2xx-FS6xx ---
  // --- FS7xx: flow test files ---
  { code: 'FS701', rule: 'test-unknown-key', severity: 'error', summary: 'A flow test file uses a key that is not allowed at this place.' },
  { code: 'FS702', rule: 'test-wrong-type', severity: 'error', summary: 'A flow test file holds a value of the wrong kind.' },
  { code: 'FS703', rule: 'test-missing-key', severity: 'error', summary: 'A flow test file lacks a required key (`flow`, `tests`, a test\'s `name` or `steps`, a step\'s action).' },
  { code: 'FS704', rule: 'test-invalid-value', severity: 'error', summary: 'A flow test file holds a value that is not allowed (an unknown method, a bad duration or name).' },
  { code: 'FS705', rule: 'test-conflicting-keys', severity: 'error', summary: 'A flow test step does two things at once, or a mock has both a response and an error.' },
  { code: 'FS706', rule: 'test-empty-value', severity: 'error', summary: 'A flow test file has an empty list or text where something is needed (no tests, no steps).' },
  // --- end FS7xx ---
] as const satisfies readonly CodeInfo[];

const byCodeMap = new Map<string, CodeInfo>(list.map((c) => [c.code, c]));
const byRuleMap = new Map<string, CodeInfo>(list.map((c) => [c.rule, c]));

/** Every code, sorted. */
export function allCodes(): CodeInfo[] {
  return [...list].sort((a, b) => (a.code < b.code ? -1 : 1));
}

export function codeInfo(code: string): CodeInfo | undefined {
  return byCodeMap.get(code);
}

export function codeForRule(rule: string): CodeInfo {
  const info = byRuleMap.get(rule);
  if (!info) throw new Error(`unknown diagnostic rule ${rule}`);
  return info;
}
