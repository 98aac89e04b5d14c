import type { ResolvedProtectedResource } from '../options/resolved-options.js';

/**
 * Which protected resource a request is for: the one named by `@ProtectedResource()`, the only one
 * configured, or the one whose identifier's path is the longest prefix of the request path
 * (`/notes/42` → `https://h/notes`). `undefined` when none fits — a configuration mistake.
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
