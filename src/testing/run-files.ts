/**
 * Runs flow test files against a validated bot: each test in a fresh session (its own
 * profile, env, mocks and simulated clock), collecting results and coverage.
 */
import type { Project } from '../language/project.js';
import { closest, didYouMean } from '../language/rules/suggest.js';
import { compileBot, type CompiledBot } from '../engine/index.js';
import type { Profile } from '../engine/types.js';
import { Coverage } from './coverage.js';
import { createMockHttp } from './mock-http.js';
import { runTest, type TestDriver, type TestResult } from './run-test.js';
import { Session, type StepResult } from './session.js';
import type { TestCase, TestFile } from './test-file.js';

export interface FileResult {
  file: TestFile;
  results: TestResult[];
  /** Set when the file cannot run at all (its flow does not exist). */
  problem?: string;
}

/** The profile of a test: its `user:` with an id (`test-user` unless given). */
export function testProfile(test: TestCase): Profile {
  return { id: 'test-user', ...test.user };
}

/** Compiles the bot for one test's environment (only `env_allow` names reach the flows). */
function botFor(project: Project, test: TestCase, cache: Map<string, CompiledBot>): CompiledBot {
  const key = JSON.stringify(Object.entries(test.env).sort());
  let bot = cache.get(key);
  if (!bot) cache.set(key, (bot = compileBot(project, { env: test.env })));
  return bot;
}

/** Runs every test of `files` (which must belong to `project`), recording into `coverage`. */
export async function runTestFiles(project: Project, files: readonly TestFile[], coverage: Coverage): Promise<FileResult[]> {
  const cache = new Map<string, CompiledBot>();
  const out: FileResult[] = [];
  for (const file of files) {
    if (!project.flows.some((f) => f.id === file.flow)) {
      const ids = project.flows.map((f) => f.id).sort();
      const there = ids.length ? `Its flows are: ${ids.join(', ')}.` : 'It has no flow.';
      out.push({ file, results: [], problem: `The flow "${file.flow}" (flow: at the top of this file) is not a flow of this bot.${didYouMean(closest(file.flow, ids))} ${there}` });
      continue;
    }
    const results: TestResult[] = [];
    for (const test of file.tests) {
      const http = createMockHttp(test.mocks, project.settings.call_allow);
      const session = new Session({ bot: botFor(project, test, cache), http, profile: testProfile(test) });
      // Coverage counts passing tests only: a failing test may reach states for the wrong
      // reason (e.g. an on_error state because a mock is missing).
      const steps: StepResult[] = [];
      const track = async (step: Promise<StepResult>) => {
        const r = await step;
        steps.push(r);
        return r;
      };
      const driver: TestDriver = {
        start: (flowId, vars) => track(session.start(flowId, vars)),
        send: (event) => track(session.send(event)),
        wait: (ms) => track(session.wait(ms)),
        ended: () => session.ended(),
        where: () => session.where(),
        vars: () => session.vars(),
      };
      const result = await runTest(test, file.flow, driver, http);
      if (result.passed) for (const r of steps) coverage.record(r.before, r.entered);
      results.push(result);
    }
    out.push({ file, results });
  }
  return out;
}
