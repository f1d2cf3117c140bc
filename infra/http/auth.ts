// Bearer-token auth with scopes (CONTRACT.md sections 5 and 6). Tokens are
// compared through SHA-256 digests with timingSafeEqual, and every configured
// token is checked, so timing does not reveal which prefix matched.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TokenGrant, TokenScope } from '../config.js';
import { forbidden, unauthorized } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public (healthz, readyz). */
    scope?: TokenScope;
  }
  interface FastifyRequest {
    /** The matched grant's token id (a digest prefix, safe to log). */
    tokenId?: string;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export interface Authenticator {
  /** The grant for an Authorization header value, or null. */
  match(header: string | undefined): { scopes: Set<TokenScope>; id: string } | null;
  enabled: boolean;
}

export function createAuthenticator(tokens: TokenGrant[] | null): Authenticator {
  const grants = (tokens ?? []).map((g) => ({ d: digest(g.token), scopes: g.scopes, id: digest(g.token).toString('hex').slice(0, 8) }));
  return {
    enabled: tokens !== null,
    match(header) {
      const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!m) return null;
      const d = digest(m[1]!);
      let found: (typeof grants)[number] | null = null;
      for (const g of grants) if (timingSafeEqual(d, g.d) && !found) found = g;
      return found ? { scopes: found.scopes, id: found.id } : null;
    },
  };
}

/** Checks a request against the authenticator; throws 401/403 HttpErrors. */
export function authorize(auth: Authenticator, req: Pick<FastifyRequest, 'headers'>, scope: TokenScope): string | undefined {
  if (!auth.enabled) return undefined;
  const header = req.headers.authorization;
  if (!header) throw unauthorized('missing Authorization: Bearer <token> header');
  const grant = auth.match(header);
  if (!grant) throw unauthorized('unknown or malformed bearer token');
  if (!grant.scopes.has(scope) && !grant.scopes.has('admin')) throw forbidden(`this token lacks the "${scope}" scope`);
  return grant.id;
}

export function installAuth(app: FastifyInstance, auth: Authenticator): void {
  if (!auth.enabled) app.log.warn('SQA_TOKENS is unset: the API accepts requests without a token (development only)');
  app.addHook('onRequest', async (req) => {
    const scope = req.routeOptions.config.scope;
    if (scope) req.tokenId = authorize(auth, req, scope);
  });
}
