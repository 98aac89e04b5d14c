import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenVerifier, McpAuthModule, type AuthInfo, type McpAuthModuleOptions } from '../../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { createSigningKey } from '../../fixtures/token-signer.js';

// Start-up fetches an issuer's JWKS only when the built-in JWT verifier is what the guard uses: an
// application's own verifier may never need those keys, so it must cost no request at bootstrap.

const resource = 'http://127.0.0.1/mcp';
let as: DevAuthorizationServer;
let jwksPath: string;
const jwksRequests: string[] = [];

function countJwks(message: unknown): void {
  const { request } = message as { request: IncomingMessage };
  if (request.url === jwksPath && request.socket.localPort === Number(new URL(as.issuer).port)) jwksRequests.push(request.url);
}

@Injectable()
class NeverCalledVerifier extends AccessTokenVerifier {
  verify(): Promise<AuthInfo> {
    return Promise.reject(new Error('not called at bootstrap'));
  }
}

async function bootstrapCountingJwks(module: ReturnType<typeof McpAuthModule.forRoot>): Promise<number> {
  jwksRequests.length = 0;
  const app = await NestFactory.createApplicationContext(module, { logger: false });
  await app.close();
  return jwksRequests.length;
}

const options = (extra: Partial<McpAuthModuleOptions> = {}): McpAuthModuleOptions => ({
  protectedResources: [{ resource, authorizationServers: [as.issuer] }],
  ...extra,
});

beforeAll(async () => {
  const key = await createSigningKey();
  as = await startDevAuthorizationServer({ port: 0, signingJwk: key.privateJwk, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
  const metadata = (await (await fetch(`${as.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  jwksPath = new URL(metadata.jwks_uri).pathname;
  subscribe('http.server.request.start', countJwks);
});

afterEach(() => {
  jwksRequests.length = 0;
});

afterAll(async () => {
  unsubscribe('http.server.request.start', countJwks);
  await as?.close();
});

describe('JWKS prefetch at bootstrap', () => {
  it('the built-in verifier fetches the keys while the app starts, so the first request need not', async () => {
    expect(await bootstrapCountingJwks(McpAuthModule.forRoot(options()))).toBe(1);
  });

  it('a verifyAccessToken function causes no JWKS request', async () => {
    const module = McpAuthModule.forRoot(options({ verifyAccessToken: () => Promise.reject(new Error('not called at bootstrap')) }));
    expect(await bootstrapCountingJwks(module)).toBe(0);
  });

  it('an issuer whose resources take only opaque tokens (introspected) causes no JWKS request', async () => {
    const introspection = { clientId: 'rs', clientSecret: 'secret', endpoint: `${as.issuer}/token/introspection` };
    const module = McpAuthModule.forRoot({
      protectedResources: [{ resource, authorizationServers: [{ issuer: as.issuer, introspection }], tokenFormat: 'opaque' }],
    });
    expect(await bootstrapCountingJwks(module)).toBe(0);
  });

  it('an application verifier class (the `verifier` extra) causes no JWKS request', async () => {
    expect(await bootstrapCountingJwks(McpAuthModule.forRoot({ ...options(), verifier: NeverCalledVerifier }))).toBe(0);
  });
});
