/**
 * Plays one test against the engine: each `user` and `tap` is sent, each `wait` advances the
 * simulated clock, and every message the bot sends must be expected by a `bot` (or `image`)
 * step, in order. The first step that does not hold fails the test, with a message that says
 * what was expected and what happened, in plain words.
 */
import type { InboundEvent, OutMessage } from '../engine/types.js';
import { parseDuration } from '../language/duration.js';
import { describeMessage, sameValue, textMatches, titlesOf } from './expect.js';
import { describeRequest, type MockHttp } from './mock-http.js';
import type { StepResult } from './session.js';
import type { Step, TestCase } from './test-file.js';

export interface TestFailure {
  /** 1-based index of the failing step (0: after the last step). */
  step: number;
  /** Line of the step in the test file. */
  line: number;
  message: string;
}

export interface TestResult {
  name: string;
  passed: boolean;
  failure?: TestFailure;
}

/** The choices a tap can reach: the last quick replies shown, and every button still in the chat. */
interface Offered {
  quickReplies: Array<{ title: string; payload: string }>;
  buttons: Array<{ title: string; payload?: string; url?: string }>;
}

/** What a test drives: the session's actions and checks (see `Session`). */
export interface TestDriver {
  start(flowId: string, vars: Record<string, unknown>): Promise<StepResult>;
  send(event: InboundEvent): Promise<StepResult>;
  wait(ms: number): Promise<StepResult>;
  ended(): boolean;
  where(): string | undefined;
  vars(): Record<string, unknown>;
}

class StepFailed extends Error {}

function fail(message: string): never {
  throw new StepFailed(message);
}

/** `textMatches`, failing the step (instead of the whole run) when the expected /regex/ is not valid. */
function matches(expected: string, actual: string): boolean {
  try {
    return textMatches(expected, actual);
  } catch (e) {
    fail(`${expected} is not a valid /regex/: ${(e as Error).message}. Check its brackets and backslashes, or write the exact text without the slashes.`);
  }
}

function list(titles: readonly string[]): string {
  return titles.length ? titles.map((t) => `"${t}"`).join(', ') : 'none';
}

/** Runs one test; `flowId` is the flow under test, started as if its trigger had fired. */
export async function runTest(test: TestCase, flowId: string, session: TestDriver, http: MockHttp): Promise<TestResult> {
  const queue: OutMessage[] = [];
  const offered: Offered = { quickReplies: [], buttons: [] };
  let stepNo = 0;
  let line = test.line;

  const take = (result: StepResult, action: string) => {
    for (const m of result.messages) {
      queue.push(m);
      if (m.kind !== 'image' && m.quick_replies?.length) offered.quickReplies = m.quick_replies;
      if (m.kind === 'buttons') offered.buttons = [...m.buttons.map((b) => (b.type === 'postback' ? { title: b.title, payload: b.payload } : { title: b.title, url: b.url })), ...offered.buttons];
    }
    const missed = http.unmatched.splice(0);
    if (missed.length > 0) {
      fail(`${action}, the flow called ${describeRequest(missed[0]!)}, and no mock answers it. Add one under mocks:, for example { method: ${missed[0]!.method.toUpperCase()}, url: "${missed[0]!.url}", status: 200, json: {} }.`);
    }
  };
  const noPending = (what: string) => {
    if (queue.length > 0) {
      const m = queue[0]!;
      fail(`Before ${what}, the bot said ${describeMessage(m)}, which the test does not expect. Add a "bot:" step for it${queue.length > 1 ? ` (and for the ${queue.length - 1} message(s) after it)` : ''}.`);
    }
  };

  try {
    take(await session.start(flowId, test.vars), 'When the flow started');
    for (const step of test.steps) {
      stepNo++;
      line = step.line;
      await play(step);
    }
    stepNo = 0;
    line = test.steps.at(-1)?.line ?? test.line;
    noPending('the end of the test');
    return { name: test.name, passed: true };
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    return { name: test.name, passed: false, failure: { step: stepNo, line, message: err.message } };
  }

  async function play(step: Step): Promise<void> {
    switch (step.kind) {
      case 'bot': {
        const m = queue.shift();
        if (!m) fail(`Expected the bot to say "${step.text}", but it said nothing more.`);
        if (m.kind === 'image') fail(`Expected the bot to say "${step.text}", but it sent an image (${m.url}).`);
        if (!matches(step.text, m.text)) fail(`Expected the bot to say "${step.text}", but it said ${describeMessage(m)}.`);
        const titles = titlesOf(m);
        if (step.quickReplies && !sameValue(step.quickReplies, titles.quickReplies)) {
          fail(`The message "${m.text}" should offer the quick replies ${list(step.quickReplies)}, but it offers ${list(titles.quickReplies)}.`);
        }
        if (step.buttons && !sameValue(step.buttons, titles.buttons)) {
          fail(`The message "${m.text}" should carry the buttons ${list(step.buttons)}, but it carries ${list(titles.buttons)}.`);
        }
        return;
      }
      case 'image': {
        const m = queue.shift();
        if (!m) fail(`Expected the bot to send the image ${step.url}, but it sent nothing more.`);
        if (m.kind !== 'image') fail(`Expected the bot to send the image ${step.url}, but it said ${describeMessage(m)}.`);
        if (!matches(step.url, m.url)) fail(`Expected the image ${step.url}, but the bot sent ${m.url}.`);
        return;
      }
      case 'user': {
        noPending(`the person writes "${step.text}"`);
        take(await session.send({ kind: 'text', text: step.text }), `When the person wrote "${step.text}"`);
        return;
      }
      case 'tap': {
        noPending(`the tap on "${step.title}"`);
        const want = step.title.trim().toLowerCase();
        const qr = offered.quickReplies.find((q) => q.title === step.title) ?? offered.quickReplies.find((q) => q.title.trim().toLowerCase() === want);
        if (qr) {
          offered.quickReplies = [];
          take(await session.send({ kind: 'quick_reply', payload: qr.payload, title: qr.title }), `When the person tapped "${qr.title}"`);
          return;
        }
        const button = offered.buttons.find((b) => b.title === step.title) ?? offered.buttons.find((b) => b.title.trim().toLowerCase() === want);
        if (!button) {
          fail(`There is no quick reply or button "${step.title}" to tap. The bot offers: ${list([...offered.quickReplies.map((q) => q.title), ...offered.buttons.map((b) => b.title)])}.`);
        }
        if (button.payload === undefined) fail(`The button "${button.title}" opens a web page (${button.url}); a test cannot tap it.`);
        offered.quickReplies = [];
        take(await session.send({ kind: 'postback', payload: button.payload, title: button.title }), `When the person tapped "${button.title}"`);
        return;
      }
      case 'wait': {
        noPending(`waiting ${step.duration}`);
        const ms = parseDuration(step.duration);
        if (ms === undefined) fail(`"${step.duration}" is not a duration: write a whole number followed by s, m, h or d, for example 10m or 1h30m.`);
        take(await session.wait(ms), `After waiting ${step.duration}`);
        return;
      }
      case 'ended': {
        const ended = session.ended();
        if (ended !== step.ended) fail(step.ended ? `Expected the conversation to be over, but it is still going (in state "${session.where() ?? '?'}").` : 'Expected the conversation to be still going, but it is over.');
        return;
      }
      case 'state': {
        const where = session.where();
        const want = step.state.includes('.') ? step.state : `${flowId}.${step.state}`;
        if (where !== want) fail(`Expected the conversation to be in state "${step.state}", but it is ${where ? `in "${where}"` : 'over'}.`);
        return;
      }
      case 'vars': {
        const vars = session.vars();
        for (const [name, value] of Object.entries(step.vars)) {
          if (!sameValue(value, vars[name])) {
            fail(`Expected the variable "${name}" to be ${JSON.stringify(value)}, but it is ${name in vars ? JSON.stringify(vars[name]) : 'not set'}.`);
          }
        }
        return;
      }
    }
  }
}
