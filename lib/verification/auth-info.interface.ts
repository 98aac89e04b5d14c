/**
 * What the guard knows about the caller once a token is verified. A superset of the MCP SDK's `AuthInfo`
 * (v1 `extra.authInfo`, v2 `ctx.http.authInfo`), so SDK transports read it from `req.auth` with no glue.
 *
 * `token` is non-enumerable: it is there for the SDK, but never shows up when the object is logged,
 * spread or serialised (tokens must not be forwarded or logged — MCP token passthrough, RFC 9700 §4.9.3).
 */
export interface AuthInfo {
  /** The raw access token. Non-enumerable; never forward it upstream. */
  readonly token: string;
  /** The OAuth client the token was issued to (`client_id`, else `azp`, else empty). */
  clientId: string;
  /** Granted scopes as issued (hierarchies are applied when checking, not here). */
  scopes: string[];
  /** Roles of the caller: the `roles` claim (RFC 9068 §7.2.1.1), or where a claim mapping found them. */
  roles: string[];
  /** The tenant the token belongs to, when a claim mapping knows it (Entra `tid`, a Keycloak realm, an Auth0 organisation). */
  tenant?: string;
  /** Expiry, in seconds since the epoch. */
  expiresAt?: number;
  /** The protected resource that accepted the token (RFC 8707 resource indicator). */
  resource?: URL;
  /** Absolute URL of that resource's RFC 9728 metadata document, for later scope challenges. */
  resourceMetadataUrl?: string;
  /** The issuer that signed the token, exactly as trusted. */
  issuer: string;
  /** The `sub` claim, when present. */
  subject?: string;
  /** The token's `aud`, always as an array. */
  audience: string[];
  /** A stable key for the principal to bind state to (X3): `<iss>#sub:<sub>`, or `<iss>#client:<client id>`. */
  principalId: string;
  /** `user` when a person is behind the token, `client` for `client_credentials` tokens (X4). */
  principalType: 'user' | 'client';
  /**
   * The RFC 7638 thumbprint of the key the token is bound to (`cnf.jkt`, RFC 9449): present exactly when the
   * token is DPoP-bound, and then the request carried a valid proof signed by that key.
   */
  dpopThumbprint?: string;
  /** Every verified claim. */
  claims: Readonly<Record<string, unknown>>;
  /** Room for application data, as in the SDK's `AuthInfo`. */
  extra?: Record<string, unknown>;
}
