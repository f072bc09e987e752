/**
 * Runs flow test files against a validated bot: each test in a fresh session (its own
 * profile, env, mocks and simulated clock), collecting results and coverage.
 */
import type { Project } from '../language/project.js';
import { compileBot, type CompiledBot } from '../engine/index.js';
import type { Profile } from '../engine/types.js';
import { Coverage } from './coverage.js';
import { createMockHttp } from './mock-http.js';
import { runTest, type TestResult } from './run-test.js';
import { Session } from './session.js';
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
      out.push({ file, results: [], problem: `The flow "${file.flow}" does not exist in ${project.dir}. The flows there are: ${ids.join(', ') || 'none'}. Fix "flow:" at the top of the test file.` });
      continue;
    }
    const results: TestResult[] = [];
    for (const test of file.tests) {
      const http = createMockHttp(test.mocks);
      const session = new Session({ bot: botFor(project, test, cache), http, profile: testProfile(test) });
      const recording = {
        start: async (flowId: string, vars: Record<string, unknown>) => track(await session.start(flowId, vars)),
        send: async (e: Parameters<Session['send']>[0]) => track(await session.send(e)),
        wait: async (ms: number) => track(await session.wait(ms)),
        ended: () => session.ended(),
        where: () => session.where(),
        vars: () => session.vars(),
      };
      // Coverage counts passing tests only: a failing test may reach states for the wrong
      // reason (e.g. an on_error state because a mock is missing).
      const steps: Array<Parameters<Coverage['record']>> = [];
      function track<T extends { before?: Parameters<Coverage['record']>[0]; entered: Parameters<Coverage['record']>[1] }>(r: T): T {
        steps.push([r.before, r.entered]);
        return r;
      }
      const result = await runTest(test, file.flow, recording, http);
      if (result.passed) for (const [before, entered] of steps) coverage.record(before, entered);
      results.push(result);
    }
    out.push({ file, results });
  }
  return out;
}
