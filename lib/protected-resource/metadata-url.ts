import { PROTECTED_RESOURCE_WELL_KNOWN } from '../mcp-auth.constants.js';

/**
 * The path of a resource's metadata document (RFC 9728 §3.1): the well-known suffix inserted between the
 * host and the resource's path. `https://h/mcp` → `/.well-known/oauth-protected-resource/mcp`; a resource
 * without a path (or only `/`) → `/.well-known/oauth-protected-resource`.
 */
export function protectedResourceMetadataPath(resource: string): string {
  const { pathname } = new URL(resource);
  return pathname === '/' ? PROTECTED_RESOURCE_WELL_KNOWN : `${PROTECTED_RESOURCE_WELL_KNOWN}${pathname}`;
}

/** The absolute metadata URL for a resource, the value of `resource_metadata` in challenges. */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}${protectedResourceMetadataPath(resource)}${url.search}`;
}
