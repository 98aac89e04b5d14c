import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  AccessTokenVerifier,
  MCP_AUTH_RESOLVED_OPTIONS,
  McpAuthModule,
  type AuthInfo,
  type McpAuthModuleOptions,
  type ResolvedMcpAuthOptions,
  type ResolvedProtectedResource,
} from '../../lib/index.js';
import { benchModuleOptions } from '../bench-module-options.js';

export interface VerifierContext {
  verifier: AccessTokenVerifier;
  resource: ResolvedProtectedResource;
  options: ResolvedMcpAuthOptions;
  verify(token: string): Promise<AuthInfo>;
  close(): Promise<void>;
}

/**
 * Our verifier exactly as an application gets it: `McpAuthModule.forRoot()` in a Nest application
 * context (discovery and JWKS prefetch against the run's real dev authorization servers), then the
 * `AccessTokenVerifier` from DI.
 */
export async function createVerifierContext(
  resource: string,
  issuers: string[],
  jwt?: McpAuthModuleOptions['jwt'],
): Promise<VerifierContext> {
  const app = await NestFactory.createApplicationContext(McpAuthModule.forRoot(benchModuleOptions(resource, issuers, jwt)), {
    // Without an HTTP adapter the module warns that it serves no metadata: expected here.
    logger: ['error'],
  });
  const verifier = app.get(AccessTokenVerifier);
  const options = app.get<ResolvedMcpAuthOptions>(MCP_AUTH_RESOLVED_OPTIONS);
  const resolved = options.resources[0]!;
  return {
    verifier,
    resource: resolved,
    options,
    verify: (token) => verifier.verify(token, resolved),
    close: () => app.close(),
  };
}

/**
 * The size of the verifier's private token cache, for diagnostics only: looked up on the verifier and on
 * the verifiers it delegates to (one level), since it is no public API. `undefined` if it can't be seen.
 */
export function verifiedTokenCacheSize(verifier: AccessTokenVerifier): number | undefined {
  for (const candidate of [verifier, ...Object.values(verifier)]) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const size = (candidate as { cache?: { size?: unknown } }).cache?.size;
    if (typeof size === 'number') return size;
  }
  return undefined;
}
