import { Controller, Get, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenVerifier, BearerAuthGuard, MCP_AUTH_RESOLVED_OPTIONS, McpAuthModule, ProtectedResource } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';

const mcp = 'http://127.0.0.1/mcp';
const notes = 'http://127.0.0.1/notes';

@Controller('notes')
@UseGuards(BearerAuthGuard)
@ProtectedResource(notes)
class NotesController {
  @Get()
  list() {
    return [];
  }
}

describe.each(ADAPTERS)('the verified-token cache stays correct (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let key: TestSigningKey;
  let app: RunningApp;

  beforeAll(async () => {
    key = await createSigningKey();
    as = await startDevAuthorizationServer({ port: 0, signingJwk: key.privateJwk, resources: [{ identifier: mcp, scopes: ['read:notes'] }] });
    app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [
          { resource: mcp, authorizationServers: [as.issuer] },
          { resource: notes, authorizationServers: [as.issuer] },
        ],
        jwt: { clockToleranceSeconds: 0 },
      }),
      { controllers: [NotesController] },
    );
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  const status = async (path: string, token: string) =>
    (await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('T9: a cached token is refused once it expires', async () => {
    const token = await signAccessToken(key, { issuer: as.issuer, audience: mcp, expiresIn: 2 });
    expect(await status('/mcp', token)).toBe(200);
    expect(await status('/mcp', token)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await status('/mcp', token)).toBe(401);
  });

  /** Sends the token until it is served from the cache: admitted on its second verification, hit on the third. */
  const useUntilCached = async (path: string, token: string) => {
    for (let use = 1; use <= 3; use++) expect(await status(path, token)).toBe(200);
  };

  it('T8: a token cached for one resource is still refused by another', async () => {
    const token = await signAccessToken(key, { issuer: as.issuer, audience: mcp });
    await useUntilCached('/mcp', token);
    expect(await status('/notes', token)).toBe(401);
  });

  it('scopes are checked on every request, cached or not', async () => {
    const token = await signAccessToken(key, { issuer: as.issuer, audience: mcp, scope: 'read:notes' });
    await useUntilCached('/mcp', token);
    expect((await fetch(`${app.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
  });

  it('a token verified twice is let through synchronously from then on: no promise for Nest to await', async () => {
    const nest = app.app;
    const guard = new BearerAuthGuard(nest.get(Reflector), nest.get(AccessTokenVerifier), nest.get(MCP_AUTH_RESOLVED_OPTIONS));
    const token = await signAccessToken(key, { issuer: as.issuer, audience: notes });
    const activate = () => {
      const request = { headers: { authorization: `Bearer ${token}` }, url: '/notes' } as Record<string, unknown>;
      const context = new ExecutionContextHost([request, {}], NotesController, NotesController.prototype.list);
      context.setType('http');
      return { result: guard.canActivate(context), request };
    };
    // New: its signature is checked on the thread pool. Verified again: admitted to the cache.
    for (let use = 1; use <= 2; use++) {
      const { result } = activate();
      expect(result).toBeInstanceOf(Promise);
      expect(await result).toBe(true);
    }
    for (let use = 3; use <= 4; use++) {
      const { result, request } = activate();
      expect(result).toBe(true);
      expect((request.auth as { clientId?: unknown } | undefined)?.clientId).toEqual(expect.any(String));
    }
  });
});
