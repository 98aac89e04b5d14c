import type { IssuerResolver } from '../options/mcp-auth-options.interface.js';

// A tenant is one URL path segment (or host label) of ordinary characters: never a `/`, `?`, `#`, `@` or
// `:`, so a crafted `iss` cannot move to another host, path or port by way of the placeholder.
const TENANT = '([A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127})';
const PLACEHOLDER = /\{[A-Za-z][A-Za-z0-9_]*\}/g;

/**
 * An {@link IssuerResolver} for issuers that differ only by a tenant, such as
 * `https://login.example.com/realms/{tenant}` (Keycloak) or `https://login.microsoftonline.com/{tid}/v2.0`
 * (Entra ID). An `iss` must match the template exactly, with the placeholder standing for one segment of
 * ordinary characters, and then `isKnownTenant` (default: every tenant) decides; nothing is fetched for
 * an issuer refused here.
 */
export function issuerTemplate(
  template: string,
  isKnownTenant: (tenant: string) => boolean | Promise<boolean> = () => true,
): IssuerResolver {
  const placeholders = template.match(PLACEHOLDER) ?? [];
  if (placeholders.length !== 1) {
    throw new TypeError(`issuerTemplate(): ${JSON.stringify(template)} must contain exactly one {placeholder}`);
  }
  const [before, after] = template.split(placeholders[0]) as [string, string];
  const pattern = new RegExp(`^${escapeRegExp(before)}${TENANT}${escapeRegExp(after)}$`);
  return async (issuer) => {
    const tenant = pattern.exec(issuer)?.[1];
    if (tenant === undefined || tenant === '.' || tenant === '..') return false;
    return (await isKnownTenant(tenant)) === true;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
