/**
 * The studio's guard outside local mode: every studio route needs STUDIO_TOKEN, given as
 * `Authorization: Bearer <token>`, an `X-Studio-Token` header, or the `flowstate_studio`
 * cookie, which `GET /?token=<token>` sets (then redirects, so the token leaves the address bar).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie that carries the studio token in a browser. */
export const STUDIO_COOKIE = 'flowstate_studio';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time comparison of two secrets. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The value of a cookie in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The token a request carries, if any. */
export function tokenOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  const header = req.headers['x-studio-token'];
  if (typeof header === 'string') return header;
  return cookieValue(req.headers.cookie, STUDIO_COOKIE);
}

/**
 * An `onRequest` hook: lets the request through with the right token; `GET /?token=...`
 * with the right token sets the cookie and redirects to `/`; anything else is 401.
 */
export function requireToken(token: string) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const query = req.query as Record<string, unknown> | undefined;
    const given = typeof query?.token === 'string' ? query.token : undefined;
    if (req.method === 'GET' && req.url.split('?')[0] === '/' && given !== undefined && sameSecret(given, token)) {
      reply.header('set-cookie', `${STUDIO_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`);
      return reply.redirect('/', 303);
    }
    const carried = tokenOf(req);
    if (carried !== undefined && sameSecret(carried, token)) return;
    return reply
      .code(401)
      .type('text/plain; charset=utf-8')
      .send('The studio is protected: open it as /?token=<STUDIO_TOKEN> (the value set on the server), or send the token in an Authorization: Bearer header.');
  };
}
