import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS } from '../fixtures/http-app.js';
import { postMcp, toolText, withMcpClient } from './fixtures/example-client.js';

// docs/mcp-nest.md (examples/mcp-nest): MCP-Nest v2 behind BearerAuthGuard, started as examples/mcp-nest/main.ts does.
const RESOURCE = 'http://localhost:3000/mcp';

describe('docs/mcp-nest.md (examples/mcp-nest)', () => {
  let as: DevAuthorizationServer;
  const token = async (scope: string) => (await clientCredentialsToken(as, { resource: RESOURCE, scope })).access_token;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes', 'notes:admin'] }] });
    process.env.MCP_AUTH_ISSUER = as.issuer;
  });

  afterAll(async () => {
    delete process.env.MCP_AUTH_ISSUER;
    await as?.close();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: INestApplication;
    let url: string;

    beforeAll(async () => {
      // The example holds one MCP-Nest strategy, which belongs to one application: a fresh copy per adapter.
      vi.resetModules();
      const { AppModule } = await import('../../examples/mcp-nest/app.module.js');
      const { mcp } = await import('../../examples/mcp-nest/mcp-http.controller.js');
      app = await NestFactory.create(AppModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
      mcp.setHttpAdapter(app.getHttpAdapter());
      app.connectMicroservice({ strategy: mcp });
      await app.startAllMicroservices();
      await app.listen(0, '127.0.0.1');
      url = `${await app.getUrl()}/mcp`.replace('[::1]', '127.0.0.1');
    });

    afterAll(async () => {
      await app?.close();
    });

    it('C1: without a token our guard answers 401 with our challenge', async () => {
      const { status, challenge } = await postMcp(url, undefined, 'tools/list');
      expect(status).toBe(401);
      expect(challenge?.params).toEqual({ scope: 'read:notes', resource_metadata: 'http://localhost:3000/.well-known/oauth-protected-resource/mcp' });
    });

    it("MCP-Nest's @ToolScopes answers a read-only tools/call with the 403 step-up challenge at our metadata", async () => {
      const { status, challenge } = await postMcp(url, await token('read:notes'), 'tools/call', { name: 'create-note', arguments: { text: 'x' } });
      expect(status).toBe(403);
      expect(challenge?.params).toMatchObject({
        error: 'insufficient_scope',
        scope: 'read:notes write:notes',
        resource_metadata: 'http://localhost:3000/.well-known/oauth-protected-resource/mcp',
      });
    });

    it('with write:notes the tool runs and @AuthInfo() on its handler receives the caller', async () => {
      const text = await withMcpClient(url, await token('read:notes write:notes'), async (client) =>
        toolText(await client.callTool({ name: 'create-note', arguments: { text: 'hello' } })),
      );
      expect(JSON.parse(text)).toEqual({ text: 'hello', author: `${as.issuer}#client:${as.devClient.clientId}` });
    });

    it('O1: our @RequireScopes() on an MCP-Nest tool is a 403 step-up from our guard, before MCP-Nest runs it', async () => {
      const { status, challenge } = await postMcp(url, await token('read:notes write:notes'), 'tools/call', { name: 'purge-notes', arguments: {} });
      expect(status).toBe(403);
      expect(challenge?.params).toMatchObject({ error: 'insufficient_scope', scope: 'read:notes notes:admin' });
    });

    it('T12: notes:admin implies write:notes (scopeHierarchy), for MCP-Nest and for us', async () => {
      const text = await withMcpClient(url, await token('notes:admin'), async (client) => toolText(await client.callTool({ name: 'purge-notes', arguments: {} })));
      expect(JSON.parse(text)).toEqual({ purgedBy: `${as.issuer}#client:${as.devClient.clientId}` });
    });
  });
});
