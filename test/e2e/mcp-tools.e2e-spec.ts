import { Body, Controller, Injectable, Module, Post, Req, Res, UseGuards } from '@nestjs/common';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { bearerAuthChallengeResponse, McpServer, OAuthError, verifyBearerToken } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  AuthInfo,
  BearerAuthGuard,
  InsufficientScopeFailure,
  McpAuthContext,
  McpAuthModule,
  McpSdkTokenVerifier,
  McpToolScopes,
  MissingCredentialsFailure,
  RequireRoles,
  RequireScopes,
} from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';
import { parseBearerChallenge } from '../fixtures/www-authenticate.js';

const resource = 'http://127.0.0.1/mcp';
const toolRuns: string[] = [];

/** A tool provider as users write it: scopes and the caller declared on the methods, nothing else. */
@Injectable()
@RequireScopes('read:notes')
class NotesTools {
  @RequireScopes()
  whoami(@AuthInfo() auth: AuthInfo) {
    toolRuns.push('whoami');
    return { subject: auth.subject, scopes: auth.scopes };
  }

  @RequireScopes('write:notes')
  write(text: string, @AuthInfo('subject') subject?: string) {
    toolRuns.push('write');
    return `${subject} wrote ${text}`;
  }

  @RequireScopes('notes:purge', 'notes:audit')
  purge() {
    toolRuns.push('purge');
    return 'purged';
  }

  @RequireRoles('editor')
  publish() {
    toolRuns.push('publish');
    return 'published';
  }
}

@Controller('mcp')
@UseGuards(BearerAuthGuard)
@RequireScopes('read:notes')
class McpController {
  constructor(
    private readonly tools: NotesTools,
    private readonly toolScopes: McpToolScopes,
  ) {}

  @Post()
  async handle(@Req() request: { raw?: object }, @Res() response: { raw?: object; hijack?: () => void }, @Body() body: unknown) {
    response.hijack?.();
    const server = new McpServer({ name: 'tools-test', version: '1.0.0' });
    const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] });
    server.registerTool('whoami', { scopeChallenge: this.toolScopes.challengeFor(NotesTools, 'whoami') }, () =>
      // The provider fills its @AuthInfo() parameter itself.
      text(this.tools.whoami(undefined as never)),
    );
    server.registerTool(
      'write',
      { inputSchema: z.object({ text: z.string() }), scopeChallenge: this.toolScopes.challengeFor(NotesTools, 'write') },
      ({ text: note }) => text(this.tools.write(note)),
    );
    server.registerTool('purge', { scopeChallenge: this.toolScopes.challengeFor(NotesTools, 'purge') }, () => text(this.tools.purge()));
    server.registerTool('publish', {}, () => text(this.tools.publish()));
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    await transport.handleRequest((request.raw ?? request) as never, (response.raw ?? response) as never, body);
  }
}

describe.each(ADAPTERS)('MCP tool providers with the MCP SDK v2 (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let key: TestSigningKey;
  let app: RunningApp;
  const token = (scope: string, roles: string[] = []) =>
    signAccessToken(key, { issuer: as.issuer, audience: resource, scope, claims: { sub: 'alice', roles } });

  beforeAll(async () => {
    key = await createSigningKey();
    as = await startDevAuthorizationServer({ port: 0, signingJwk: key.privateJwk, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    @Module({
      imports: [
        McpAuthModule.forRoot({
          protectedResources: [{ resource, authorizationServers: [as.issuer] }],
          scopeHierarchy: { 'notes:admin': ['write:notes', 'read:notes'] },
        }),
      ],
      controllers: [McpController],
      providers: [NotesTools],
    })
    class ToolsAppModule {}
    app = await startApp(adapter, { imports: [ToolsAppModule] });
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  beforeEach(() => {
    toolRuns.length = 0;
  });

  async function connect(scope: string, roles: string[] = []) {
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${app.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${await token(scope, roles)}` } },
    });
    await client.connect(transport);
    return client;
  }

  /** A raw `tools/call`, to see the HTTP answer the SDK client would otherwise turn into an exception. */
  async function rawToolCall(scope: string, name: string, args: Record<string, unknown> = {}) {
    const response = await fetch(`${app.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token(scope)}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    });
    const header = response.headers.get('www-authenticate');
    return { status: response.status, challenge: header ? parseBearerChallenge(header) : undefined };
  }

  it('@AuthInfo() on a tool method parameter receives the caller, through the official client', async () => {
    const client = await connect('read:notes');
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.parse((result.content as Array<{ text: string }>)[0]!.text)).toEqual({ subject: 'alice', scopes: ['read:notes'] });
    await client.close();
  });

  it('@AuthInfo("subject") injects one field', async () => {
    const client = await connect('read:notes write:notes');
    const result = await client.callTool({ name: 'write', arguments: { text: 'hello' } });
    expect((result.content as Array<{ text: string }>)[0]!.text).toBe('"alice wrote hello"');
    await client.close();
  });

  it('C8: a tools/call without the tool scope → HTTP 403 insufficient_scope before the tool runs', async () => {
    const { status, challenge } = await rawToolCall('read:notes', 'write', { text: 'x' });
    expect(status).toBe(403);
    expect(challenge?.params).toMatchObject({
      error: 'insufficient_scope',
      scope: 'read:notes write:notes',
      resource_metadata: 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp',
    });
    expect(toolRuns).toEqual([]);
  });

  it('C9: the challenge lists every scope the tool needs in one go', async () => {
    const { status, challenge } = await rawToolCall('read:notes', 'purge');
    expect(status).toBe(403);
    expect(challenge?.params.scope?.split(' ').sort()).toEqual(['notes:audit', 'notes:purge', 'read:notes']);
  });

  it('T12: the scope hierarchy is honoured by the tool scope challenge', async () => {
    const client = await connect('notes:admin');
    const result = await client.callTool({ name: 'write', arguments: { text: 'as admin' } });
    expect(result.isError).toBeFalsy();
    expect(toolRuns).toEqual(['write']);
    await client.close();
  });

  it('C12: a tool method with @RequireRoles() refuses a caller without the role, without running', async () => {
    const client = await connect('read:notes', ['viewer']);
    const result = await client.callTool({ name: 'publish', arguments: {} });
    expect(result.isError).toBe(true);
    expect(toolRuns).toEqual([]);
    await client.close();
  });

  it('a tool method with @RequireRoles() runs for a caller holding the role', async () => {
    const client = await connect('read:notes', ['editor']);
    const result = await client.callTool({ name: 'publish', arguments: {} });
    expect((result.content as Array<{ text: string }>)[0]!.text).toBe('"published"');
    expect(toolRuns).toEqual(['publish']);
    await client.close();
  });

  it('the tool method refuses to run outside an authenticated request (defence in depth)', async () => {
    const tools = app.app.get(NotesTools);
    expect(() => tools.write('sneaky')).toThrow(MissingCredentialsFailure);
    expect(toolRuns).toEqual([]);
  });

  it('the tool method refuses a caller without its scopes even when called directly', async () => {
    const tools = app.app.get(NotesTools);
    const context = app.app.get(McpAuthContext);
    const verifier = app.app.get(McpSdkTokenVerifier).forResource(resource);
    const reader = await verifier.verifyAccessToken(await token('read:notes'));
    expect(() => context.run(reader, () => tools.write('sneaky'))).toThrow(InsufficientScopeFailure);
    const writer = await verifier.verifyAccessToken(await token('read:notes write:notes'));
    expect(context.run(writer, () => tools.write('fine'))).toBe('alice wrote fine');
  });

  it('the verifier works as the SDK’s OAuthTokenVerifier with the SDK’s own bearer helpers', async () => {
    const verifier = app.app.get(McpSdkTokenVerifier).forResource(resource);
    const auth = await verifyBearerToken(`Bearer ${await token('read:notes')}`, { verifier });
    expect(auth.scopes).toEqual(['read:notes']);
    expect(auth.expiresAt).toBeTypeOf('number');

    const refusal = await verifyBearerToken('Bearer not.a.token', { verifier }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OAuthError);
    const response = bearerAuthChallengeResponse(refusal, { resourceMetadataUrl: 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp' });
    expect(response.status).toBe(401);
  });
});
