import { AuthorizationServerDiscoveryError, type DiscoveryAttempt } from '../errors/discovery.error.js';
import type { AuthorizationServerMetadata, AuthorizationServerOptions, DiscoveryOptions } from '../options/mcp-auth-options.interface.js';
import { deepFreeze } from '../common/deep-freeze.js';
import { authorizationServerMetadataUrls } from './discovery-urls.js';
import { fetchMetadataDocument } from './fetch-metadata-document.js';
import { assessAuthorizationServerMetadata } from './metadata-validation.js';

/** Everything discovery needs besides the server itself. */
export interface DiscoveryContext {
  options: Required<Omit<DiscoveryOptions, 'transformMetadata' | 'failFast'>> & Pick<DiscoveryOptions, 'transformMetadata'>;
  /** Our resources that trust this server, for the `protected_resources` cross-check (D9). */
  resources: readonly string[];
  allowInsecureHttp: boolean;
  /** What the document must offer (D4); default a `jwks_uri`. */
  requires?: { jwks: boolean; introspection: boolean };
  /** Waits between retries; injectable so that tests of retry logic need not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/** A usable, frozen metadata document, and the warnings it earned. */
export interface DiscoveredAuthorizationServer {
  metadata: Readonly<AuthorizationServerMetadata>;
  /** Where the document came from (`configured` for manual metadata). */
  source: string;
  warnings: string[];
}

/**
 * Finds an authorization server's metadata: manual metadata as given, a configured metadata URL, or the
 * MCP probe order of well-known URLs (D1, D3). A candidate whose `issuer` differs from the configured one
 * is discarded (D2) and the next is tried. Rounds over all candidates are retried with exponential
 * backoff while some candidate was unreachable; a definitive answer everywhere (404, wrong issuer) fails
 * at once. Throws {@link AuthorizationServerDiscoveryError} listing every URL and what it returned.
 */
export async function discoverAuthorizationServer(
  server: AuthorizationServerOptions,
  context: DiscoveryContext,
): Promise<DiscoveredAuthorizationServer> {
  if (server.metadata) {
    const attempts: DiscoveryAttempt[] = [];
    const accepted = await accept(server.metadata, server.issuer, 'configured metadata', context, attempts);
    if (!accepted) throw new AuthorizationServerDiscoveryError(server.issuer, attempts);
    return accepted;
  }
  const candidates = server.metadataUrl ? [server.metadataUrl] : authorizationServerMetadataUrls(server.issuer);
  const sleep = context.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const attempts: DiscoveryAttempt[] = [];

  for (let round = 0; round <= context.options.retries; round++) {
    if (round > 0) await sleep(context.options.retryDelayMs * 2 ** (round - 1));
    let anyUnreachable = false;
    for (const url of candidates) {
      const result = await fetchMetadataDocument(url, context.options.timeoutMs);
      if (result.kind !== 'document') {
        anyUnreachable ||= result.kind === 'unreachable';
        attempts.push({ url, outcome: result.outcome });
        continue;
      }
      const accepted = await accept(result.document, server.issuer, url, context, attempts);
      if (accepted) return accepted;
    }
    if (!anyUnreachable) break;
    if (round === context.options.retries) throw new AuthorizationServerDiscoveryError(server.issuer, attempts, true);
  }
  throw new AuthorizationServerDiscoveryError(server.issuer, attempts);
}

/** Transforms and assesses one document; records why in `attempts` and returns nothing if unusable. */
async function accept(
  document: unknown,
  issuer: string,
  source: string,
  context: DiscoveryContext,
  attempts: DiscoveryAttempt[],
): Promise<DiscoveredAuthorizationServer | undefined> {
  let metadata = document;
  if (context.options.transformMetadata && isObject(metadata)) {
    try {
      metadata = await context.options.transformMetadata(structuredClone(metadata) as AuthorizationServerMetadata, issuer);
    } catch (error) {
      attempts.push({ url: source, outcome: `transformMetadata threw: ${error instanceof Error ? error.message : String(error)}` });
      return undefined;
    }
  }
  const { problems, warnings } = assessAuthorizationServerMetadata(metadata, {
    issuer,
    resources: context.resources,
    allowInsecureHttp: context.allowInsecureHttp,
    requires: context.requires,
  });
  if (problems.length > 0) {
    attempts.push({ url: source, outcome: problems.join('; ') });
    return undefined;
  }
  return { metadata: deepFreeze(metadata as AuthorizationServerMetadata), source, warnings };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
