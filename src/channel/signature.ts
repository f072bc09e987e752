/**
 * Webhook signatures and Graph call proofs (messenger-protocol.md §3 and §6).
 *
 * Meta signs every webhook POST with the app secret over the raw body bytes:
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>` and, on older setups, `X-Hub-Signature:
 * sha1=<hex HMAC-SHA1>`. Graph calls prove knowledge of the app secret with
 * `appsecret_proof` (+ `appsecret_time` in the time-stamped form).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header values as Node (or Fastify) gives them. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** The outcome of a signature check: `missing` when no signature header was sent. */
export type SignatureCheck = 'ok' | 'missing' | 'invalid';

function header(headers: HeaderBag, name: string): string | undefined {
  // Node lowercases header names; a hand-built bag may not.
  let value = headers[name];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === name) {
        value = headers[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) value = value[0];
  return typeof value === 'string' ? value : undefined;
}

function matches(rawBody: Buffer, value: string, algorithm: 'sha256' | 'sha1', appSecret: string): boolean {
  const prefix = `${algorithm}=`;
  const trimmed = value.trim();
  if (trimmed.slice(0, prefix.length).toLowerCase() !== prefix) return false;
  const hex = trimmed.slice(prefix.length);
  const expected = createHmac(algorithm, appSecret).update(rawBody).digest();
  // Buffer.from(hex) silently drops bad digits: check the shape first, then the length.
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length !== expected.length * 2) return false;
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Checks a webhook POST's signature over its raw bytes, in constant time.
 *
 * `X-Hub-Signature-256` decides when present; `X-Hub-Signature` (sha1) is used only when the
 * 256 header is absent (older Workplace integrations send only that one). Returns `missing`
 * when neither header is present, and `invalid` for a wrong, malformed or wrong-length
 * signature, or when `appSecret` is empty (an HMAC with an empty key proves nothing).
 * Never re-serialise parsed JSON to check it: Meta signs the bytes as sent.
 */
export function verifySignature(rawBody: Buffer, headers: HeaderBag, appSecret: string): SignatureCheck {
  const sha256 = header(headers, 'x-hub-signature-256');
  const sha1 = sha256 === undefined ? header(headers, 'x-hub-signature') : undefined;
  if (sha256 === undefined && sha1 === undefined) return 'missing';
  if (appSecret === '') return 'invalid';
  if (sha256 !== undefined) return matches(rawBody, sha256, 'sha256', appSecret) ? 'ok' : 'invalid';
  return matches(rawBody, sha1 as string, 'sha1', appSecret) ? 'ok' : 'invalid';
}

/** Computes the `X-Hub-Signature-256` value Meta would send for a body (for tests and load generators). */
export function signBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Query parameters that prove a Graph call was made by someone holding the app secret. */
export interface AppSecretProof {
  appsecret_proof: string;
  /** Present in the time-stamped form (integer Unix seconds, as a string). */
  appsecret_time?: string;
}

/**
 * `appsecret_proof` for a Graph call (messenger-protocol.md §6).
 *
 * With `unixSeconds` (the time-stamped form, which Workplace uses and which Meta accepts
 * whether or not "Require App Secret" is on): lowercase hex HMAC-SHA256 keyed with the app
 * secret over `access_token + "|" + t`, where `t` is the integer part of `unixSeconds`; the
 * result carries `appsecret_time: t`. Such proofs expire after 5 minutes, so compute one per
 * call. Without `unixSeconds` (the classic form): HMAC-SHA256 over the token alone.
 * Note the unit: seconds, not the milliseconds of the injected clocks.
 */
export function appSecretProof(accessToken: string, appSecret: string, unixSeconds?: number): AppSecretProof {
  if (unixSeconds === undefined) {
    return { appsecret_proof: createHmac('sha256', appSecret).update(accessToken).digest('hex') };
  }
  if (!Number.isFinite(unixSeconds) || unixSeconds < 0) {
    throw new TypeError(`appSecretProof: the time must be a non-negative number of Unix seconds, got ${unixSeconds}`);
  }
  const t = String(Math.floor(unixSeconds));
  return {
    appsecret_proof: createHmac('sha256', appSecret).update(`${accessToken}|${t}`).digest('hex'),
    appsecret_time: t,
  };
}
