import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { Controller, Module, UseFilters, UseGuards, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  McpController,
  McpExceptionFilter,
  McpHttpControllerFor,
  McpRawRequest,
  McpStrategy,
  StreamableHttpTransport,
  Tool,
  ToolRoles,
  ToolScopes,
} from '@rekog/mcp-nest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { AuthInfo, BearerAuthGuard, McpAuthModule, protectedResourceMetadataUrl, RequireScopes, type RequestUser } from '../../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../../sample/auth-server/dev-authorization-server.js';
import { completeDevLogin } from '../../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, type AdapterName } from '../../fixtures/http-app.js';
import { connectWithOAuth, describeExchanges, DevLoginOAuthProvider, recordingFetch, toolJson } from '../../fixtures/mcp-oauth-client.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../../fixtures/token-signer.js';
import { parseBearerChallenge } from '../../fixtures/www-authenticate.js';

// An MCP server built with MCP-Nest v2 (@rekog/mcp-nest), authenticated by this library: BearerAuthGuard on
// the HTTP controller MCP-Nest lets you own, our metadata and challenges, and MCP-Nest's own per-tool
// authorization (@ToolScopes, @ToolRoles, step-up 403) working off the `req.user` the guard fills. Our
// @AuthInfo() and @RequireScopes() work on MCP-Nest tool handlers too. The library never imports MCP-Nest.

const SCOPES = ['read:notes', 'write:notes', 'notes:admin'];
const notes: Array<{ text: string; author: string }> = [];
const handlerRuns: string[] = [];

function textResult(value: unknown) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(value) }] };
}

@McpController()
@UseFilters(McpExceptionFilter)
class NotesMcpTools {
  @Tool({ name: 'whoami', description: 'The caller, as @AuthInfo() and req.user show it.' })
  whoami(@Payload() _input: unknown, @AuthInfo() caller: AuthInfo, @McpRawRequest() request: { user?: RequestUser }) {
    handlerRuns.push('whoami');
    const { sub, client_id, scope, roles } = request.user ?? {};
    return textResult({ subject: caller.subject, scopes: caller.scopes, user: { sub, client_id, scope, roles } });
  }

  @Tool({ name: 'create-note', description: 'Create a note.', parameters: z.object({ text: z.string() }) })
  @ToolScopes(['read:notes', 'write:notes'])
  createNote(@Payload() { text }: { text: string }, @AuthInfo('subject') author: string) {
    handlerRuns.push('create-note');
    const note = { text, author };
    notes.push(note);
    return textResult(note);
  }

  @Tool({ name: 'audit-notes', description: 'How many notes there are; for auditors.' })
  @ToolRoles(['notes-auditor'])
  auditNotes() {
    handlerRuns.push('audit-notes');
    return textResult({ count: notes.length });
  }

  @Tool({ name: 'purge-notes', description: 'Delete every note; needs notes:admin.' })
  @RequireScopes('notes:admin')
  purgeNotes(@Payload() _input: unknown, @AuthInfo('subject') subject: string) {
    handlerRuns.push('purge-notes');
    notes.length = 0;
    return textResult({ purgedBy: subject });
  }
}

interface McpNestServer {
  app: INestApplication;
  mcpUrl: string;
  metadataUrl: string;
  authorizationServer: DevAuthorizationServer;
  close(): Promise<void>;
}

/**
 * Starts the MCP-Nest server the way its README does (hybrid app: HTTP + the MCP strategy), with an embedded
 * development authorization server that signs with `key`. The resource identifier carries the app's port,
 * which is therefore held from the start until the app listens on it.
 */
async function startMcpNestServer(adapter: AdapterName, key: TestSigningKey): Promise<McpNestServer> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const metadataUrl = protectedResourceMetadataUrl(mcpUrl);

  const authorizationServer = await startDevAuthorizationServer({
    port: 0,
    signingJwk: key.privateJwk,
    resources: [{ identifier: mcpUrl, scopes: SCOPES }],
  });

  // MCP-Nest's step-up challenge points at our metadata document.
  const transport = new StreamableHttpTransport({ stepUpAuthorization: { resourceMetadataUrl: metadataUrl } });
  const strategy = new McpStrategy({ name: 'mcp-nest-notes', version: '1.0.0', transports: [transport] });

  @Controller('mcp')
  @UseGuards(BearerAuthGuard)
  @RequireScopes('read:notes')
  class NotesMcpHttpController extends McpHttpControllerFor(transport) {}

  @Module({
    imports: [
      McpAuthModule.forRoot({
        protectedResources: [{ resource: mcpUrl, authorizationServers: [authorizationServer.issuer], scopesSupported: SCOPES }],
        scopeHierarchy: { 'notes:admin': ['write:notes', 'read:notes'] },
      }),
    ],
    controllers: [NotesMcpHttpController, NotesMcpTools],
  })
  class McpNestAppModule {}

  const app = await NestFactory.create(McpNestAppModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  strategy.setHttpAdapter(app.getHttpAdapter());
  app.connectMicroservice({ strategy });
  await app.startAllMicroservices();
  await new Promise<void>((resolve) => holder.close(() => resolve()));
  await app.listen(port, '127.0.0.1');
  return {
    app,
    mcpUrl,
    metadataUrl,
    authorizationServer,
    close: async () => {
      await app.close();
      await authorizationServer.close();
    },
  };
}

describe.each(ADAPTERS)('MCP-Nest v2 server guarded by BearerAuthGuard on %s', (adapter) => {
  let key: TestSigningKey;
  let server: McpNestServer;

  beforeAll(async () => {
    key = await createSigningKey();
    server = await startMcpNestServer(adapter, key);
  });

  afterAll(async () => {
    await server?.close();
  });

  beforeEach(() => {
    handlerRuns.length = 0;
  });

  const token = (scope: string, claims: Record<string, unknown> = {}) =>
    signAccessToken(key, { issuer: server.authorizationServer.issuer, audience: server.mcpUrl, scope, claims: { sub: 'henry', ...claims } });

  async function rpc(accessToken: string | undefined, method: string, params?: object) {
    const response = await fetch(server.mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: { content?: Array<{ text: string }>; isError?: boolean; tools?: Array<{ name: string }> }; error?: { message: string } };
    return { status: response.status, challenge: response.headers.get('www-authenticate'), body };
  }

  async function withClient<T>(accessToken: string, use: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ name: 'mcp-nest-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${accessToken}` } } }));
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  }

  it('P1, P3, P4: the protected resource metadata is ours', async () => {
    const response = await fetch(server.metadataUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      resource: server.mcpUrl,
      authorization_servers: [server.authorizationServer.issuer],
      scopes_supported: SCOPES,
      bearer_methods_supported: ['header'],
    });
  });

  it('C1-C4: without a token our guard answers 401 with our challenge, and no MCP-Nest handler runs', async () => {
    const { status, challenge } = await rpc(undefined, 'tools/list');
    expect(status).toBe(401);
    expect(parseBearerChallenge(challenge).params).toEqual({ resource_metadata: server.metadataUrl, scope: 'read:notes' });
    expect(handlerRuns).toEqual([]);
  });

  it('C6, T8: a token for another resource is refused with 401 invalid_token', async () => {
    const foreign = await signAccessToken(key, { issuer: server.authorizationServer.issuer, audience: 'http://127.0.0.1/notes', scope: 'read:notes' });
    const { status, challenge } = await rpc(foreign, 'tools/call', { name: 'whoami', arguments: {} });
    expect(status).toBe(401);
    expect(parseBearerChallenge(challenge).params).toMatchObject({ error: 'invalid_token', resource_metadata: server.metadataUrl });
    expect(handlerRuns).toEqual([]);
  });

  it('@AuthInfo() on an MCP-Nest tool handler receives the caller; req.user carries scope and roles as MCP-Nest reads them', async () => {
    const caller = await withClient(await token('read:notes', { roles: ['notes-auditor'], client_id: 'inspector' }), async (client) =>
      toolJson(await client.callTool({ name: 'whoami', arguments: {} })),
    );
    expect(caller).toEqual({
      subject: 'henry',
      scopes: ['read:notes'],
      user: { sub: 'henry', client_id: 'inspector', scope: 'read:notes', roles: ['notes-auditor'] },
    });
  });

  it("MCP-Nest's @ToolScopes filters tools/list off req.user", async () => {
    const visibleTo = async (scope: string) =>
      withClient(await token(scope), async (client) => (await client.listTools()).tools.map((tool) => tool.name).sort());
    expect(await visibleTo('read:notes')).toEqual(['purge-notes', 'whoami']);
    expect(await visibleTo('read:notes write:notes')).toEqual(['create-note', 'purge-notes', 'whoami']);
  });

  it("C8, C9, O1: MCP-Nest's @ToolScopes is read by our guard: 403 insufficient_scope naming every scope and our metadata, before MCP-Nest runs", async () => {
    const { status, challenge, body } = await rpc(await token('read:notes'), 'tools/call', { name: 'create-note', arguments: { text: 'no' } });
    expect(status).toBe(403);
    const { params } = parseBearerChallenge(challenge);
    expect(params.error).toBe('insufficient_scope');
    expect(params.scope!.split(' ').sort()).toEqual(['read:notes', 'write:notes']);
    expect(params.resource_metadata).toBe(server.metadataUrl);
    // Our answer (RFC 6750 JSON), not MCP-Nest's JSON-RPC error: the request never reached MCP-Nest.
    expect(body).toMatchObject({ error: 'insufficient_scope' });
    expect(handlerRuns).toEqual([]);
  });

  it('C8, C9: the official SDK v2 client steps up through MCP-Nest\'s 403 with the embedded AS, and the call succeeds', async () => {
    const recorded = recordingFetch();
    const provider = new DevLoginOAuthProvider({ userAgent: (url) => completeDevLogin(url, { username: 'iris' }) });
    const connected = await connectWithOAuth(server.mcpUrl, provider, { fetch: recorded.fetch });
    try {
      expect(provider.savedTokens.at(-1)?.scope).toBe('read:notes');
      recorded.take();
      const text = `stepped up through MCP-Nest on ${adapter}`;
      const createNote = () => connected.client.callTool({ name: 'create-note', arguments: { text } });

      await expect(createNote()).rejects.toBeInstanceOf(UnauthorizedError);
      await connected.transport.finishAuth(provider.takeAuthorizationResponse());
      expect(toolJson(await createNote())).toEqual({ text, author: 'iris' });

      const origins = { MCP: new URL(server.mcpUrl).origin, AS: server.authorizationServer.issuer };
      expect(describeExchanges(recorded.take(), origins).filter((line) => !line.startsWith('GET MCP/mcp'))).toEqual([
        'POST MCP/mcp → 403',
        'POST AS/token → 200',
        'POST MCP/mcp → 200',
      ]);
      expect(provider.authorizationUrls[1]!.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['read:notes', 'write:notes']));
      expect(handlerRuns).toEqual(['create-note']);
    } finally {
      await connected.close();
    }
  });

  it('T12: a notes:admin token satisfies @ToolScopes([read:notes, write:notes]) through our scope hierarchy', async () => {
    const note = await withClient(await token('notes:admin'), async (client) =>
      toolJson(await client.callTool({ name: 'create-note', arguments: { text: 'by an admin' } })),
    );
    expect(note).toEqual({ text: 'by an admin', author: 'henry' });
  });

  it("MCP-Nest's @ToolRoles reads req.user.roles, from the token's roles claim", async () => {
    const auditor = await rpc(await token('read:notes', { roles: ['notes-auditor'] }), 'tools/call', { name: 'audit-notes', arguments: {} });
    expect(auditor.status).toBe(200);
    expect(JSON.parse(auditor.body.result!.content![0]!.text)).toEqual({ count: expect.any(Number) });

    // A role is not a scope: MCP-Nest refuses with a JSON-RPC error, not a step-up challenge.
    const other = await rpc(await token('read:notes write:notes'), 'tools/call', { name: 'audit-notes', arguments: {} });
    expect(other.status).toBe(200);
    expect(other.body.error?.message).toBe("Tool 'audit-notes' requires roles: notes-auditor");
    expect(handlerRuns).toEqual(['audit-notes']);
  });

  it('O1: @RequireScopes() on an MCP-Nest tool handler gets the 403 step-up from our guard before it runs, and lets notes:admin through', async () => {
    const refused = await rpc(await token('read:notes write:notes'), 'tools/call', { name: 'purge-notes', arguments: {} });
    expect(refused.status).toBe(403);
    expect(parseBearerChallenge(refused.challenge).params).toMatchObject({ error: 'insufficient_scope', scope: 'read:notes notes:admin' });
    expect(handlerRuns).toEqual([]);

    const allowed = await rpc(await token('notes:admin'), 'tools/call', { name: 'purge-notes', arguments: {} });
    expect(JSON.parse(allowed.body.result!.content![0]!.text)).toEqual({ purgedBy: 'henry' });
    expect(handlerRuns).toEqual(['purge-notes']);
  });
});
