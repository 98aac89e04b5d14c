/**
 * The routes of the benchmark app. All but the MCP pair have the same shape (`GET /<name>/mcp` answering a
 * small JSON body) and differ only in what protects them; the MCP pair answers `POST /<name>/mcp`, a JSON-RPC
 * `tools/call`, through the MCP SDK's Streamable HTTP transport (see {@link MCP_ROUTES}).
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
  'mcp-open': '/mcp-open/mcp',
  'mcp-guard': '/mcp-guard/mcp',
} as const;

export type RouteName = keyof typeof ROUTES;

/**
 * The routes that serve a real MCP `tools/call` (a new SDK v2 server and stateless transport per request),
 * unprotected and behind our guard: what a user of `/mcp` sees, where the others isolate the guard's cost.
 */
export const MCP_ROUTES: readonly RouteName[] = ['mcp-open', 'mcp-guard'];

export function isMcpRoute(route: RouteName): boolean {
  return MCP_ROUTES.includes(route);
}

/**
 * Which tokens a variant sends: one reused RS256 or ES256 token, a fresh one per request from the pool of that
 * algorithm, or one reused DPoP-bound RS256 token with a fresh proof per request.
 */
export type TokenSource = 'rs256' | 'es256' | 'distinct' | 'distinct-es256' | 'dpop';

/** The sources that send a token the server has not seen before with every request. */
export function sendsDistinctTokens(variant: Variant): boolean {
  return variant.tokens === 'distinct' || variant.tokens === 'distinct-es256';
}

/** The HTTP platform of the Nest app a variant runs in; each has its own server child and its own baseline. */
export type BenchAdapter = 'express' | 'fastify';

export interface Variant {
  id: string;
  label: string;
  route: RouteName;
  tokens: TokenSource;
  kind: 'baseline' | 'floor' | 'ours' | 'peer';
  /** A shorter label for the chart, where the whole one would not fit beside its bar. */
  chartLabel?: string;
  /** Express unless said otherwise. */
  adapter?: BenchAdapter;
  /**
   * The id of the variant whose req/s and CPU per request this one's ratios are to, when that is not the
   * default (see {@link baselineIdOf}): the guarded MCP route is compared with the unprotected MCP route, not
   * with the plain GET one, whose handler does not run the MCP SDK.
   */
  comparedTo?: string;
}

/** The reference of the ratios of variants without `comparedTo`: the unprotected route of the same app. */
const DEFAULT_BASELINES: Record<BenchAdapter, string> = { express: 'a', fastify: 'fa' };

export const VARIANTS: readonly Variant[] = [
  { id: 'a', label: 'unprotected route', route: 'open', tokens: 'rs256', kind: 'baseline' },
  {
    id: 'a-guard',
    label: 'no-op async guard (the floor of any Nest guard)',
    chartLabel: 'no-op async guard',
    route: 'noop-guard',
    tokens: 'rs256',
    kind: 'floor',
  },
  {
    id: 'a-interceptor',
    label: 'no-op async guard + pass-through interceptor (Nest interceptor pipeline; ours uses none)',
    chartLabel: 'no-op async guard + pass-through interceptor',
    route: 'noop-guard-interceptor',
    tokens: 'rs256',
    kind: 'floor',
  },
  { id: 'b', label: 'BearerAuthGuard, RS256, reused token', route: 'guard', tokens: 'rs256', kind: 'ours' },
  { id: 'c', label: 'BearerAuthGuard, ES256, reused token', route: 'guard', tokens: 'es256', kind: 'ours' },
  { id: 'd', label: 'BearerAuthGuard, RS256, distinct tokens', route: 'guard', tokens: 'distinct', kind: 'ours' },
  { id: 'd-es256', label: 'BearerAuthGuard, ES256, distinct tokens', route: 'guard', tokens: 'distinct-es256', kind: 'ours' },
  {
    id: 'dpop',
    label: "BearerAuthGuard, dpop: 'allowed', reused DPoP-bound RS256 token, a new ES256 proof per request",
    chartLabel: 'BearerAuthGuard, DPoP, a new proof per request',
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
  // A real MCP tools/call, unprotected and behind our guard: (mb)'s ratio is to (m), the same call without the guard.
  {
    id: 'm',
    label: 'MCP tools/call, SDK v2 Streamable HTTP, unprotected',
    chartLabel: 'MCP tools/call, unprotected',
    route: 'mcp-open',
    tokens: 'rs256',
    kind: 'baseline',
  },
  {
    id: 'mb',
    label: 'MCP tools/call behind BearerAuthGuard, RS256, reused token',
    chartLabel: 'MCP tools/call behind BearerAuthGuard',
    route: 'mcp-guard',
    tokens: 'rs256',
    kind: 'ours',
    comparedTo: 'm',
  },
  // The same app on @nestjs/platform-fastify, measured against its own unprotected route. No peer runs there:
  // all three are Express middleware that answer failures through Express's `res.status().json()` / `next(err)`.
  { id: 'fa', label: 'Fastify: unprotected route', route: 'open', tokens: 'rs256', kind: 'baseline', adapter: 'fastify' },
  { id: 'fa-guard', label: 'Fastify: no-op async guard', route: 'noop-guard', tokens: 'rs256', kind: 'floor', adapter: 'fastify' },
  { id: 'fb', label: 'Fastify: BearerAuthGuard, RS256, reused token', route: 'guard', tokens: 'rs256', kind: 'ours', adapter: 'fastify' },
  { id: 'fc', label: 'Fastify: BearerAuthGuard, ES256, reused token', route: 'guard', tokens: 'es256', kind: 'ours', adapter: 'fastify' },
  { id: 'fd', label: 'Fastify: BearerAuthGuard, RS256, distinct tokens', route: 'guard', tokens: 'distinct', kind: 'ours', adapter: 'fastify' },
  {
    id: 'fd-es256',
    label: 'Fastify: BearerAuthGuard, ES256, distinct tokens',
    route: 'guard',
    tokens: 'distinct-es256',
    kind: 'ours',
    adapter: 'fastify',
  },
  {
    id: 'fdpop',
    label: "Fastify: BearerAuthGuard, dpop: 'allowed', reused DPoP-bound RS256 token, a new ES256 proof per request",
    chartLabel: 'Fastify: BearerAuthGuard, DPoP, a new proof per request',
    route: 'dpop',
    tokens: 'dpop',
    kind: 'ours',
    adapter: 'fastify',
  },
  {
    id: 'fm',
    label: 'Fastify: MCP tools/call, SDK v2 Streamable HTTP, unprotected',
    chartLabel: 'Fastify: MCP tools/call, unprotected',
    route: 'mcp-open',
    tokens: 'rs256',
    kind: 'baseline',
    adapter: 'fastify',
  },
  {
    id: 'fmb',
    label: 'Fastify: MCP tools/call behind BearerAuthGuard, RS256, reused token',
    chartLabel: 'Fastify: MCP tools/call behind BearerAuthGuard',
    route: 'mcp-guard',
    tokens: 'rs256',
    kind: 'ours',
    adapter: 'fastify',
    comparedTo: 'fm',
  },
];

export function adapterOf(variant: Variant): BenchAdapter {
  return variant.adapter ?? 'express';
}

/**
 * The id of the variant this one's ratios are to: `comparedTo` when given, a baseline itself (1.00 by
 * definition), otherwise the unprotected route of its own app ((a) on Express, (fa) on Fastify).
 */
export function baselineIdOf(variant: Variant): string {
  return variant.comparedTo ?? (variant.kind === 'baseline' ? variant.id : DEFAULT_BASELINES[adapterOf(variant)]);
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
