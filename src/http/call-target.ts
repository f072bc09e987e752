/**
 * Which `call` targets may be reached at all, judged on the URL alone (no network): the rules
 * of the guarded HTTP port (guarded-http.ts) that do not need a DNS answer. `flow test` and
 * `flow chat --mock` apply them too, so a test passes only with calls the server would make.
 * Messages name the origin (`https://host:port`) only, never the path or query, which may
 * carry values from `env`.
 */
import { hostAllowed } from '../language/rules/call-host-not-allowed.js';
import { isLoopback, parseIp, specialRange } from './address-ranges.js';

/** `https://host:port` of `url`: what messages may show of it. */
export function origin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function hostAndPort(url: URL): string {
  return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

function isLocalhostName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** Why a call to `url` may not be made at all (scheme, host), or undefined when it may. */
export function targetRefusal(url: URL, allow: readonly string[]): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `The call to a "${url.protocol}" address was refused: a call can only reach http:// or https:// addresses. Check the url of the call and the variables it uses.`;
  }
  if (hostAllowed(allow, url.hostname, url.port || undefined)) {
    // An IP written in the URL is connected to as is: judge it now (DNS lookups are judged as they happen).
    return parseIp(url.hostname) ? addressRefusal(url, url.hostname.replace(/^\[|\]$/g, ''), allow) : undefined;
  }
  const name = hostAndPort(url);
  const listed = allow.length === 0 ? 'bot.yaml has no call_allow list, so no host may be called' : `it is not in call_allow in bot.yaml (${allow.map((a) => `"${a}"`).join(', ')})`;
  return `The call to ${origin(url)} was refused: ${listed}. Add "${name}" to call_allow in bot.yaml if flows may call it, or fix the url of the call.`;
}

/** Why `url`'s host may not be reached at `address` (a non-public address nobody allowed), or undefined. */
export function addressRefusal(url: URL, address: string, allow: readonly string[]): string | undefined {
  const what = specialRange(address);
  if (what === undefined) return undefined;
  const v6 = address.includes(':');
  const name = v6 ? `[${address}]` : address;
  if (hostAllowed(allow, name, url.port || undefined)) return undefined;
  if (isLocalhostName(url.hostname) && isLoopback(address)) return undefined;
  const target = url.hostname === name ? name : `${url.hostname} resolves to ${address}, which`;
  const fix = v6
    ? 'call_allow cannot list IPv6 addresses of private networks: reach the service through an IPv4 address listed in call_allow, or through "localhost" during development.'
    : `A call reaches such an address only when call_allow in bot.yaml lists the address itself: add "${url.port ? `${address}:${url.port}` : address}" to call_allow if this service is meant to be reached.`;
  return `The call to ${origin(url)} was refused: ${target} is ${what}. ${fix}`;
}

/**
 * The URL of a call, or why it is refused: not a complete http(s) address, or a host (or an
 * address written in it) that `allow` (bot.yaml's `call_allow`) does not let through.
 */
export function parseCallUrl(text: string, allow: readonly string[]): { url: URL } | { refusal: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { refusal: 'The url of the call is not a complete web address (it must start with http:// or https:// and a host name). Check the url of the call and the variables it uses.' };
  }
  const refusal = targetRefusal(url, allow);
  return refusal ? { refusal } : { url };
}
