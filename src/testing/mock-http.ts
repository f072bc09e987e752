/**
 * The HTTP port of flow tests (and of `flow chat --mock`): answers `call` steps from mocks,
 * matched by method and URL, and by the query string too when the mock gives one. A call no
 * mock matches is recorded (the test fails) and answered as a network error.
 *
 * A call the server would refuse (a host missing from bot.yaml's `call_allow`, a scheme other
 * than http(s), a private address written in the URL) is refused here too, with the server's
 * message, before any mock is looked at: a flow test passes only with calls the server makes.
 * (Host names are not resolved, so a name that resolves to a private address is only refused
 * by the server.)
 */
import type { CallRequest } from '../engine/types.js';
import type { HttpPort } from '../engine/index.js';
import type { Mock } from './test-file.js';
import { parseCallUrl } from '../http/call-target.js';

export interface MockHttp extends HttpPort {
  /** Every call made, in order. */
  readonly calls: CallRequest[];
  /** Calls no mock matched. */
  readonly unmatched: CallRequest[];
}

interface SplitUrl {
  base: string;
  params: Array<[string, string]>;
}

function split(url: string, extra?: Record<string, string>): SplitUrl {
  const q = url.indexOf('?');
  const base = (q < 0 ? url : url.slice(0, q)).replace(/\/+$/, '');
  const params = q < 0 ? [] : [...new URLSearchParams(url.slice(q + 1)).entries()];
  for (const [k, v] of Object.entries(extra ?? {})) params.push([k, v]);
  return { base, params: params.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)) };
}

/** True when a mock answers this request. */
export function mockMatches(mock: Mock, req: CallRequest): boolean {
  if ((mock.method ?? 'GET').toUpperCase() !== req.method.toUpperCase()) return false;
  const want = split(mock.url);
  const got = split(req.url, req.query);
  if (want.base !== got.base) return false;
  if (want.params.length === 0) return true;
  return JSON.stringify(want.params) === JSON.stringify(got.params);
}

/** A request as a person reads it: `POST http://helpdesk.test/tickets?x=1`. */
export function describeRequest(req: CallRequest): string {
  const { base, params } = split(req.url, req.query);
  const qs = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  return `${req.method.toUpperCase()} ${base}${qs}`;
}

/**
 * The port; the first matching mock answers (a test's own mocks come before its file's).
 * `allow` is bot.yaml's `call_allow`: calls outside it are refused as the server refuses them.
 */
export function createMockHttp(mocks: readonly Mock[], allow: readonly string[]): MockHttp {
  const calls: CallRequest[] = [];
  const unmatched: CallRequest[] = [];
  return {
    calls,
    unmatched,
    async request(req) {
      calls.push(req);
      const target = parseCallUrl(req.url, allow);
      if ('refusal' in target) return { status: 0, error: target.refusal };
      const mock = mocks.find((m) => mockMatches(m, req));
      if (!mock) {
        unmatched.push(req);
        return { status: 0, error: `no mock answers ${describeRequest(req)}` };
      }
      if (mock.error === 'timeout') return { status: 0, error: 'timeout' };
      if (mock.error === 'network') return { status: 0, error: 'network error' };
      const answer: { status: number; body?: unknown } = { status: mock.status ?? 200 };
      if (mock.json !== undefined) answer.body = mock.json;
      return answer;
    },
  };
}
