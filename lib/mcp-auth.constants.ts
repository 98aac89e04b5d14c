/** Injection token of the resolved, validated module options. */
export const MCP_AUTH_RESOLVED_OPTIONS = Symbol('nestjs-mcp-auth:resolved-options');

/** Injection token of the application's own verifier class (the `verifier` extra), before error mapping. */
export const MCP_AUTH_CUSTOM_VERIFIER = Symbol('nestjs-mcp-auth:custom-verifier');

/** Metadata key listing the parameters of a method that receive `@AuthInfo()`. */
export const MCP_AUTH_INFO_PARAMETERS = 'nestjs-mcp-auth:auth-info-parameters';

/** Marks a method that the tool-scope enforcer has already wrapped, so it is never wrapped twice. */
export const MCP_AUTH_ENFORCED_METHOD = Symbol('nestjs-mcp-auth:enforced-method');

/** Logger context used by every log line this library writes. */
export const MCP_AUTH_LOGGER_CONTEXT = 'McpAuth';

/** The well-known suffix of RFC 9728 Protected Resource Metadata. */
export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** Asymmetric JWS algorithms accepted by default (RFC 8725 §3.1: never `none`, never HMAC for access tokens). */
export const DEFAULT_ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
