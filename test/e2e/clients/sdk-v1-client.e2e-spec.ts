import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bootstrapSample, type RunningSample } from '../../../sample/bootstrap.js';
import { clientCredentialsToken, completeDevLogin } from '../../fixtures/dev-authorization-server.helpers.js';
import { describeExchanges, DevLoginOAuthProvider, recordingFetch, toolJson, type RecordedExchange } from '../../fixtures/mcp-oauth-client.js';
import { ADAPTERS_AND_MCP_SDKS } from '../../fixtures/sample-mcp-sdks.js';
// The sample's /mcp allows DPoP (MCP_DPOP=allowed): its 401s carry a DPoP challenge beside the Bearer one.
import { bearerChallengeOf } from '../../fixtures/www-authenticate.js';
import type { Note } from '../../../sample/notes/notes.store.js';

// The 1.x MCP TypeScript SDK client (@modelcontextprotocol/sdk), which most MCP hosts in the field still
// ship, through the same main flow as the v2 client: challenge, discovery, registration, authorization code
// with PKCE and `resource`, the user's login, tokens, tool calls; and the step-up. The sample serves /mcp
// with either MCP SDK (MCP_SDK=v2, v1): the client must see the same flows from both.

describe.each(ADAPTERS_AND_MCP_SDKS)('MCP SDK v1 client against the sample on %s, MCP SDK %s', (adapter, mcpSdk) => {
  let sample: RunningSample;

  beforeAll(async () => {
    sample = await bootstrapSample({ adapter, mcpSdk, port: 0, authPort: 0, logger: false });
  });

  afterAll(async () => {
    await sample?.close();
  });

  const described = (exchanges: readonly RecordedExchange[]) => describeExchanges(exchanges, { MCP: sample.url, AS: sample.issuer });
  // The client opens an optional SSE stream (GET) after connecting, in the background; the stateless
  // sample answers 405. It is not part of any flow asserted here.
  const withoutStreamProbe = (exchanges: readonly RecordedExchange[]) =>
    exchanges.filter((exchange) => !(exchange.method === 'GET' && exchange.url === sample.mcpUrl));

  /** As an SDK v1 host does it: connect, send the user to log in, finish with the code; then a connected client. */
  async function connectAsV1Host(provider: DevLoginOAuthProvider, recorded: ReturnType<typeof recordingFetch>) {
    const transportFor = () => new StreamableHTTPClientTransport(new URL(sample.mcpUrl), { authProvider: provider, fetch: recorded.fetch });
    const first = transportFor();
    await expect(new Client({ name: 'sdk-v1-e2e', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    await first.finishAuth(provider.takeAuthorizationResponse().get('code')!);
    const client = new Client({ name: 'sdk-v1-e2e', version: '1.0.0' });
    const transport = transportFor();
    await client.connect(transport);
    return { client, transport };
  }

  async function notesVisibleToRestApi(): Promise<Note[]> {
    const { access_token } = await clientCredentialsToken(sample.authorizationServer!, { resource: sample.notesUrl, scope: 'read:notes' });
    const response = await fetch(sample.notesUrl, { headers: { authorization: `Bearer ${access_token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as Note[];
  }

  it('C1-C4, P3, T8: authorization code + PKCE with resource from the 401 challenge, then tools/list and tools/call', async () => {
    const recorded = recordingFetch();
    const provider = new DevLoginOAuthProvider({
      clientName: 'SDK v1 client',
      userAgent: (url) => completeDevLogin(url, { username: 'erin' }),
    });
    const transportFor = () => new StreamableHTTPClientTransport(new URL(sample.mcpUrl), { authProvider: provider, fetch: recorded.fetch });

    // As an SDK v1 host does it: connect, send the user to log in, finish with the code, connect again.
    const first = transportFor();
    await expect(new Client({ name: 'sdk-v1-e2e', version: '1.0.0' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    await first.finishAuth(provider.takeAuthorizationResponse().get('code')!);

    const exchanges = recorded.take();
    expect(describeExchanges(exchanges, { MCP: sample.url, AS: sample.issuer })).toEqual([
      'POST MCP/mcp → 401',
      'GET MCP/.well-known/oauth-protected-resource/mcp → 200',
      'GET AS/.well-known/oauth-authorization-server → 200',
      'POST AS/reg → 201',
      'POST AS/token → 200',
    ]);
    expect(bearerChallengeOf(exchanges[0]!.wwwAuthenticate).params).toEqual({
      resource_metadata: sample.metadataUrls.mcp,
      scope: 'read:notes',
    });
    const authorization = provider.authorizationUrls[0]!;
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('resource')).toBe(sample.mcpUrl);
    expect(decodeJwt(provider.tokens()!.access_token)).toMatchObject({ aud: sample.mcpUrl, sub: 'erin', scope: 'read:notes' });

    const client = new Client({ name: 'sdk-v1-e2e', version: '1.0.0' });
    await client.connect(transportFor());
    try {
      expect(client.getServerVersion()?.name).toContain(`SDK ${mcpSdk}`);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['create-note', 'list-notes', 'whoami']);
      expect(toolJson(await client.callTool({ name: 'whoami', arguments: {} }))).toEqual({
        subject: 'erin',
        clientId: provider.clientInformation()!.client_id,
        scopes: ['read:notes'],
        issuer: sample.issuer,
        principalType: 'user',
      });
      const calls = recorded.take().filter((exchange) => exchange.method === 'POST');
      // initialize, notifications/initialized, tools/list, tools/call: every one with the token.
      expect(describeExchanges(calls, { MCP: sample.url })).toEqual(['POST MCP/mcp → 200', 'POST MCP/mcp → 202', 'POST MCP/mcp → 200', 'POST MCP/mcp → 200']);
      expect(calls.every((exchange) => exchange.url === sample.mcpUrl && exchange.status < 300 && exchange.authorization === 'Bearer')).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('C8, C9, O1: step-up — create-note with a read:notes token gets 403 insufficient_scope from the guard, the client re-authorizes with write:notes, and the call succeeds', async () => {
    const recorded = recordingFetch();
    // SDK v1 (1.32) answers a 403 with a refresh first when it holds a refresh token; a refresh cannot widen
    // the scope, so it then gives up ("Server returned 403 after trying upscoping", typescript-sdk#2255).
    // This host registers without the refresh_token grant, so the 403 leads to a new authorization request.
    const provider = new DevLoginOAuthProvider({
      clientName: 'SDK v1 client, no refresh tokens',
      refreshTokens: false,
      userAgent: (url) => completeDevLogin(url, { username: 'frank' }),
    });
    const { client, transport } = await connectAsV1Host(provider, recorded);
    try {
      expect(provider.tokens()).toMatchObject({ scope: 'read:notes' });
      expect(provider.tokens()!.refresh_token).toBeUndefined();
      recorded.take();
      const before = await notesVisibleToRestApi();
      const text = `stepped up by the SDK v1 client on ${adapter}, MCP SDK ${mcpSdk}`;
      const createNote = () => client.callTool({ name: 'create-note', arguments: { text } });

      // 1. The guard refuses the call before the MCP SDK runs; the client sends the user back to the AS.
      await expect(createNote()).rejects.toBeInstanceOf(UnauthorizedError);
      const refused = withoutStreamProbe(recorded.take());
      expect(described(refused)).toEqual(['POST MCP/mcp → 403']); // discovery is not repeated
      const challenge = bearerChallengeOf(refused[0]!.wwwAuthenticate);
      expect(challenge.params.error).toBe('insufficient_scope');
      expect(challenge.params.scope!.split(' ').sort()).toEqual(['read:notes', 'write:notes']);
      expect(challenge.params.resource_metadata).toBe(sample.metadataUrls.mcp);
      expect(await notesVisibleToRestApi()).toEqual(before);

      expect(provider.authorizationUrls).toHaveLength(2);
      const stepUp = provider.authorizationUrls[1]!;
      expect(stepUp.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['read:notes', 'write:notes']));
      expect(stepUp.searchParams.get('resource')).toBe(sample.mcpUrl);

      // 2. The host hands the code to the transport: one token request, for both scopes.
      await transport.finishAuth(provider.takeAuthorizationResponse().get('code')!);
      expect(described(withoutStreamProbe(recorded.take()))).toEqual(['POST AS/token → 200']);
      expect(provider.tokens()!.scope!.split(' ').sort()).toEqual(['read:notes', 'write:notes']);

      // 3. The same call again, on the same client: it succeeds.
      const note = toolJson(await createNote()) as Note;
      expect(note).toMatchObject({ text, author: 'frank' });
      expect(described(withoutStreamProbe(recorded.take()))).toEqual(['POST MCP/mcp → 200']);
      expect(await notesVisibleToRestApi()).toContainEqual(expect.objectContaining({ id: note.id, text }));
    } finally {
      await client.close();
    }
  });
});
