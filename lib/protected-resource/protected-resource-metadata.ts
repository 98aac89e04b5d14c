import type { DpopMode, ProtectedResourceOptions } from '../options/mcp-auth-options.interface.js';

/** An RFC 9728 protected resource metadata document. */
export type ProtectedResourceMetadata = Record<string, unknown> & {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
};

/**
 * Builds the RFC 9728 document of one resource. `resource` is the configured identifier byte for byte
 * (P3); `authorization_servers` are the validated issuer strings (P4); empty values are left out (P8);
 * `offline_access` is never advertised (P6) because MCP clients must not be nudged into asking for it.
 * `dpop` is the resource's DPoP policy, for the RFC 9449 fields.
 */
export function buildProtectedResourceMetadata(
  options: ProtectedResourceOptions,
  issuers: readonly string[],
  dpop?: { mode: DpopMode; algorithms: readonly string[] },
): ProtectedResourceMetadata {
  const document: Record<string, unknown> = {
    ...options.additionalMetadata,
    resource: options.resource,
    authorization_servers: [...issuers],
    bearer_methods_supported: ['header'],
  };
  const optional: Record<string, unknown> = {
    scopes_supported: options.scopesSupported?.filter((scope) => scope !== 'offline_access'),
    resource_name: options.resourceName,
    resource_documentation: options.resourceDocumentation,
    resource_policy_uri: options.resourcePolicyUri,
    resource_tos_uri: options.resourceTosUri,
    jwks_uri: options.jwksUri,
    resource_signing_alg_values_supported: options.resourceSigningAlgValuesSupported,
    authorization_details_types_supported: options.authorizationDetailsTypesSupported,
    tls_client_certificate_bound_access_tokens: options.tlsClientCertificateBoundAccessTokens,
    // RFC 9449 §5.1 (P11): where DPoP is accepted, the proof algorithms; where it is required, say so.
    dpop_signing_alg_values_supported: dpop && dpop.mode !== 'off' ? [...dpop.algorithms] : undefined,
    dpop_bound_access_tokens_required: dpop?.mode === 'required',
  };
  for (const [field, value] of Object.entries(optional)) {
    if (!isZeroValue(value)) document[field] = value;
  }
  return document as ProtectedResourceMetadata;
}

/** RFC 9728 §3.2: parameters with zero values are omitted. */
function isZeroValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === false || (Array.isArray(value) && value.length === 0);
}
