/** One URL that discovery tried, and what came back. */
export interface DiscoveryAttempt {
  url: string;
  outcome: string;
}

/**
 * Authorization server metadata could not be discovered. The message names the issuer, every URL tried
 * and what each returned, so an operator can fix the configuration without reading our source.
 */
export class AuthorizationServerDiscoveryError extends Error {
  readonly code = 'MCP_AUTH_DISCOVERY_FAILED';

  constructor(
    readonly issuer: string,
    readonly attempts: readonly DiscoveryAttempt[],
  ) {
    super(
      `Could not discover authorization server metadata for issuer "${issuer}". Tried:\n` +
        attempts.map(({ url, outcome }) => `  - ${url}: ${outcome}`).join('\n') +
        '\nCheck the issuer string (it must equal the metadata "issuer" exactly), or set `metadataUrl` / `metadata` ' +
        'for this authorization server, or `discovery.failFast: false` to start anyway.',
    );
    this.name = 'AuthorizationServerDiscoveryError';
  }
}
