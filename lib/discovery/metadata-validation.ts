import type { AuthorizationServerMetadata } from '../options/mcp-auth-options.interface.js';
import { isSecureUrl } from '../options/secure-url.js';

/** What we concluded about a metadata document: fatal problems, and warnings worth a log line. */
export interface MetadataAssessment {
  problems: string[];
  warnings: string[];
}

/**
 * Checks a discovered (or supplied) metadata document against what we need from it.
 * Problems make the document unusable: a different `issuer` (RFC 8414 §3.3, D2), no `jwks_uri` for JWTs or
 * no `introspection_endpoint` for opaque tokens (D4), an insecure endpoint (D7). Warnings never fail bootstrap: no `S256` PKCE (D5), no way for MCP clients to
 * register (D6), or a `protected_resources` list that leaves out one of ours (D9).
 */
export function assessAuthorizationServerMetadata(
  metadata: unknown,
  expected: {
    issuer: string;
    resources: readonly string[];
    allowInsecureHttp: boolean;
    /** What the document must offer; default a `jwks_uri` only. */
    requires?: { jwks: boolean; introspection: boolean };
  },
): MetadataAssessment {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return { problems: ['the response is not a JSON object'], warnings };
  }
  const document = metadata as AuthorizationServerMetadata;

  if (document.issuer !== expected.issuer) {
    problems.push(`"issuer" is ${JSON.stringify(document.issuer)}, expected exactly ${JSON.stringify(expected.issuer)}`);
  }
  const requires = expected.requires ?? { jwks: true, introspection: false };
  for (const [field, required, purpose] of [
    ['jwks_uri', requires.jwks, 'access tokens cannot be verified'],
    ['introspection_endpoint', requires.introspection, 'opaque access tokens cannot be introspected'],
  ] as const) {
    const value = document[field];
    if (value === undefined && !required) continue;
    if (typeof value !== 'string' || value === '') problems.push(`"${field}" is missing, so ${purpose}`);
    else if (!isSecureUrl(value, expected.allowInsecureHttp)) problems.push(`"${field}" (${value}) must be an https URL`);
  }
  if (problems.length > 0) return { problems, warnings };

  const issuer = expected.issuer;
  if (!document.code_challenge_methods_supported?.includes('S256')) {
    warnings.push(`Authorization server ${issuer} does not list S256 in code_challenge_methods_supported; MCP clients will refuse it`);
  }
  if (!document.registration_endpoint && document.client_id_metadata_document_supported !== true) {
    warnings.push(
      `Authorization server ${issuer} offers neither a registration_endpoint nor client_id_metadata_document_supported; MCP clients will need a pre-registered client`,
    );
  }
  if (Array.isArray(document.protected_resources)) {
    const listed = new Set(document.protected_resources);
    for (const resource of expected.resources) {
      if (!listed.has(resource)) {
        warnings.push(`Authorization server ${issuer} lists protected_resources without ${resource}`);
      }
    }
  }
  return { problems, warnings };
}
