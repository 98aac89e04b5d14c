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
    /** Some URL could not be reached (network, timeout, 5xx): worth trying again, unlike a 404 or a wrong issuer. */
    readonly unreachable = false,
  ) {
    super(
      `Could not discover authorization server metadata for issuer "${issuer}". Tried:\n` +
        summarise(attempts) +
        '\nCheck the issuer string (it must equal the metadata "issuer" exactly), or set `metadataUrl` / `metadata` ' +
        'for this authorization server, or `discovery.failFast: false` to start anyway.',
    );
    this.name = 'AuthorizationServerDiscoveryError';
  }
}

/** One line per URL, in the order first tried, with each distinct outcome and how often retries saw it. */
function summarise(attempts: readonly DiscoveryAttempt[]): string {
  const byUrl = new Map<string, Map<string, number>>();
  for (const { url, outcome } of attempts) {
    const outcomes = byUrl.get(url) ?? new Map<string, number>();
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    byUrl.set(url, outcomes);
  }
  return [...byUrl]
    .map(([url, outcomes]) => {
      const described = [...outcomes].map(([outcome, count]) => (count > 1 ? `${outcome} (${count} times)` : outcome));
      return `  - ${url}: ${described.join('; ')}`;
    })
    .join('\n');
}
