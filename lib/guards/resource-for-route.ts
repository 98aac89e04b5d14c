import type { ResolvedProtectedResource } from '../options/resolved-options.js';

/**
 * Which protected resource a route path (or a request path) is for: the one named by `@ProtectedResource()`,
 * the only one configured, or the one whose identifier's path is the longest prefix of the path
 * (`/notes/:id` → `https://h/notes`). `undefined` when none fits — a configuration mistake.
 */
export function resourceForRoute(
  resources: readonly ResolvedProtectedResource[],
  declared: string | undefined,
  path: string,
): ResolvedProtectedResource | undefined {
  if (declared !== undefined) return resources.find((resource) => resource.resource === declared);
  if (resources.length === 1) return resources[0];
  let best: ResolvedProtectedResource | undefined;
  for (const resource of resources) {
    const prefix = resource.resourceUrl.pathname.replace(/\/$/, '');
    const matches = path === prefix || path.startsWith(`${prefix}/`) || prefix === '';
    if (matches && (!best || prefix.length > best.resourceUrl.pathname.replace(/\/$/, '').length)) best = resource;
  }
  return best;
}

/** What a route's paths tell about its protected resource, at bootstrap. */
export type RouteResource =
  /** One resource for every path the route is served at: resolved once, for good. */
  | { kind: 'resolved'; resource: ResolvedProtectedResource }
  /** Each path has a resource, not all the same one: resolved from the request path. */
  | { kind: 'by-request-path' }
  /** The paths that fit no resource (all of them when `@ProtectedResource()` names one that is not configured). */
  | { kind: 'unresolved'; paths: string[] };

/** {@link resourceForRoute} for each path a route is served at. */
export function resourceForRoutePaths(
  resources: readonly ResolvedProtectedResource[],
  declared: string | undefined,
  paths: readonly string[],
): RouteResource {
  const found = paths.map((path) => resourceForRoute(resources, declared, path));
  const unresolved = paths.filter((_path, index) => found[index] === undefined);
  if (unresolved.length > 0) return { kind: 'unresolved', paths: unresolved };
  const [first] = found;
  return first && found.every((resource) => resource === first) ? { kind: 'resolved', resource: first } : { kind: 'by-request-path' };
}
