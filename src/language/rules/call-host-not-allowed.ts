import { statesOf, type Rule } from './rule.js';
import { closest, didYouMean, quotedList } from './suggest.js';
import { isRecord } from './flow-index.js';

/**
 * The host (and port, when written) of a call URL, with its offsets in the string; undefined
 * when a template decides the host (`{{env.HELPDESK_URL}}/tickets`), which cannot be checked
 * before the conversation runs.
 */
export function staticHost(url: string): { host: string; port?: string; start: number; end: number } | undefined {
  const m = /^\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#\s]*@)?/.exec(url);
  if (!m) return undefined;
  const start = m[0].length;
  let end = start;
  while (end < url.length && !'/?#'.includes(url[end]!)) end++;
  const authority = url.slice(start, end);
  if (authority === '' || authority.includes('{{') || authority.includes('}}')) return undefined;
  const hp = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  if (!hp) return undefined;
  return { host: hp[1]!.toLowerCase(), ...(hp[2] !== undefined ? { port: hp[2] } : {}), start, end };
}

/** True when `call_allow` lets a call reach host[:port]: an entry `host` allows any port, `host:port` that port only. */
export function hostAllowed(allow: readonly string[], host: string, port: string | undefined): boolean {
  return allow.some((entry) => {
    const e = entry.trim().toLowerCase();
    const i = e.lastIndexOf(':');
    if (i > 0 && /^\d+$/.test(e.slice(i + 1)) && !e.endsWith(']')) return e.slice(0, i) === host && port === e.slice(i + 1);
    return e === host;
  });
}

/** FS604: every `call` reaches a host listed in bot.yaml's `call_allow`. */
export const callHostNotAllowed: Rule = {
  id: 'call-host-not-allowed',
  description: "A `call` may reach only the hosts listed in bot.yaml's `call_allow` (`host` for any port, or `host:port`); without call_allow, no call is allowed.",
  check(ctx, report) {
    const allow = ctx.project.settings.call_allow;
    for (const { file, name: state, state: raw } of statesOf(ctx)) {
      if (!isRecord(raw.call) || typeof raw.call.url !== 'string') continue;
      const path = ['states', state, 'call', 'url'];
      const h = staticHost(raw.call.url);
      if (allow.length === 0) {
        report(file.source, file.source.spanOf(path, 'value'),
          `The call in state "${state}" cannot be made: flows/bot.yaml has no "call_allow" list, so no host may be called. ` +
          (h ? `Add "call_allow: [${h.host}]" to flows/bot.yaml.` : 'Add "call_allow: [<host>]" to flows/bot.yaml with the host of this URL.'));
        continue;
      }
      if (!h || hostAllowed(allow, h.host, h.port)) continue;
      const name = h.port === undefined ? h.host : `${h.host}:${h.port}`;
      const suggestion = closest(h.host, allow);
      report(file.source, file.source.stringSpan(path, h.start, h.end),
        `The call in state "${state}" reaches "${name}", which is not in call_allow (${quotedList(allow)}).${didYouMean(suggestion)} ` +
        `Add "${name}" to "call_allow" in flows/bot.yaml if flows may call it, or fix the address.`, suggestion);
    }
  },
};
