/**
 * The routes of the benchmark app. Every one has the same shape (`GET /<name>/mcp` answering a small JSON
 * body); they differ only in what protects them.
 */
export const ROUTES = {
  open: '/open/mcp',
  'noop-guard': '/noop-guard/mcp',
  'noop-guard-interceptor': '/noop-guard-interceptor/mcp',
  guard: '/guard/mcp',
  dpop: '/dpop/mcp',
  'mcp-auth': '/mcp-auth/mcp',
  auth0: '/auth0/mcp',
  'mcp-sdk': '/mcp-sdk/mcp',
} as const;

export type RouteName = keyof typeof ROUTES;

/**
 * Which tokens a variant sends: one reused RS256 or ES256 token, a fresh one from the pool per request, or one
 * reused DPoP-bound RS256 token with a fresh proof per request.
 */
export type TokenSource = 'rs256' | 'es256' | 'distinct' | 'dpop';

/** The HTTP platform of the Nest app a variant runs in; each has its own server child and its own baseline. */
export type BenchAdapter = 'express' | 'fastify';

export interface Variant {
  id: string;
  label: string;
  route: RouteName;
  tokens: TokenSource;
  kind: 'baseline' | 'floor' | 'ours' | 'peer';
  /** Express unless said otherwise. */
  adapter?: BenchAdapter;
}

export const VARIANTS: readonly Variant[] = [
  { id: 'a', label: 'unprotected route', route: 'open', tokens: 'rs256', kind: 'baseline' },
  { id: 'a-guard', label: 'no-op async guard (the floor of any Nest guard)', route: 'noop-guard', tokens: 'rs256', kind: 'floor' },
  {
    id: 'a-interceptor',
    label: 'no-op async guard + pass-through interceptor (Nest interceptor pipeline; ours uses none)',
    route: 'noop-guard-interceptor',
    tokens: 'rs256',
    kind: 'floor',
  },
  { id: 'b', label: 'BearerAuthGuard, RS256, reused token', route: 'guard', tokens: 'rs256', kind: 'ours' },
  { id: 'c', label: 'BearerAuthGuard, ES256, reused token', route: 'guard', tokens: 'es256', kind: 'ours' },
  { id: 'd', label: 'BearerAuthGuard, RS256, distinct tokens', route: 'guard', tokens: 'distinct', kind: 'ours' },
  {
    id: 'dpop',
    label: "BearerAuthGuard, dpop: 'allowed', reused DPoP-bound RS256 token, a new ES256 proof per request",
    route: 'dpop',
    tokens: 'dpop',
    kind: 'ours',
  },
  { id: 'e', label: "mcp-auth bearerAuth('jwt'), reused token", route: 'mcp-auth', tokens: 'rs256', kind: 'peer' },
  { id: 'e-distinct', label: "mcp-auth bearerAuth('jwt'), distinct tokens", route: 'mcp-auth', tokens: 'distinct', kind: 'peer' },
  { id: 'f', label: 'express-oauth2-jwt-bearer, reused token', route: 'auth0', tokens: 'rs256', kind: 'peer' },
  { id: 'f-distinct', label: 'express-oauth2-jwt-bearer, distinct tokens', route: 'auth0', tokens: 'distinct', kind: 'peer' },
  { id: 'g', label: 'MCP SDK requireBearerAuth + jose, reused token', route: 'mcp-sdk', tokens: 'rs256', kind: 'peer' },
  { id: 'g-distinct', label: 'MCP SDK requireBearerAuth + jose, distinct tokens', route: 'mcp-sdk', tokens: 'distinct', kind: 'peer' },
  // The same app on @nestjs/platform-fastify, measured against its own unprotected route. No peer runs there:
  // all three are Express middleware that answer failures through Express's `res.status().json()` / `next(err)`.
  { id: 'fa', label: 'Fastify: unprotected route', route: 'open', tokens: 'rs256', kind: 'baseline', adapter: 'fastify' },
  { id: 'fa-guard', label: 'Fastify: no-op async guard', route: 'noop-guard', tokens: 'rs256', kind: 'floor', adapter: 'fastify' },
  { id: 'fb', label: 'Fastify: BearerAuthGuard, RS256, reused token', route: 'guard', tokens: 'rs256', kind: 'ours', adapter: 'fastify' },
  { id: 'fc', label: 'Fastify: BearerAuthGuard, ES256, reused token', route: 'guard', tokens: 'es256', kind: 'ours', adapter: 'fastify' },
  { id: 'fd', label: 'Fastify: BearerAuthGuard, RS256, distinct tokens', route: 'guard', tokens: 'distinct', kind: 'ours', adapter: 'fastify' },
];

export function adapterOf(variant: Variant): BenchAdapter {
  return variant.adapter ?? 'express';
}

/** The variants named by id (all when `ids` is undefined); an unknown id is an error, not a silent skip. */
export function selectVariants(ids: readonly string[] | undefined): Variant[] {
  if (ids === undefined) return [...VARIANTS];
  const unknown = ids.filter((id) => !VARIANTS.some((variant) => variant.id === id));
  if (unknown.length > 0) {
    throw new Error(`Unknown variant(s) ${unknown.join(', ')}; known: ${VARIANTS.map((variant) => variant.id).join(', ')}`);
  }
  return VARIANTS.filter((variant) => ids.includes(variant.id));
}
