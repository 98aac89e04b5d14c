import { ClientCredentialsProvider, Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { bootstrapSample, type RunningSample } from '../../../sample/bootstrap.js';
import { authorizationCodeToken, clientCredentialsToken, completeDevLogin } from '../../fixtures/dev-authorization-server.helpers.js';
import {
  connectWithOAuth,
  describeExchanges,
  DevLoginOAuthProvider,
  recordingFetch,
  toolJson,
  type RecordedExchange,
} from '../../fixtures/mcp-oauth-client.js';
import { ADAPTERS_AND_MCP_SDKS } from '../../fixtures/sample-mcp-sdks.js';
// The sample's /mcp allows DPoP (MCP_DPOP=allowed): its 401s carry a DPoP challenge beside the Bearer one.
import { bearerChallengeOf } from '../../fixtures/www-authenticate.js';
import type { Note } from '../../../sample/notes/notes.store.js';

// The official MCP TypeScript SDK v2 client (@modelcontextprotocol/client) against the running sample and its
// embedded authorization server, doing everything a real MCP host does: reading our challenges, following
// our metadata to the authorization server, registering, sending the user to log in (the test logs in on the
// dev login page over HTTP, as a person would), stepping up, refreshing. Every request it makes is recorded
// (and passed unchanged to the real fetch), so the round-trips are asserted, not guessed. The sample serves
// /mcp with either MCP SDK (MCP_SDK=v2, v1): the client must see the same flows from both.

describe.each(ADAPTERS_AND_MCP_SDKS)('official MCP SDK v2 client against the sample on %s, MCP SDK %s', (adapter, mcpSdk) => {
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

  function userClient(username: string) {
    const client = recordingFetch();
    const userAgent = recordingFetch();
    const provider = new DevLoginOAuthProvider({
      clientName: `SDK v2 client of ${username}`,
      userAgent: (url) => completeDevLogin(url, { username, fetch: userAgent.fetch }),
    });
    return { client, userAgent, provider };
  }

  async function notesVisibleToRestApi(): Promise<Note[]> {
    const { access_token } = await clientCredentialsToken(sample.authorizationServer!, { resource: sample.notesUrl, scope: 'read:notes' });
    const response = await fetch(sample.notesUrl, { headers: { authorization: `Bearer ${access_token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as Note[];
  }

  it('C1-C4, P1, P3, T8: from the 401 challenge it finds our metadata and the AS, registers, logs the user in with PKCE and resource, and calls tools', async () => {
    const { client: recorded, userAgent, provider } = userClient('alice');

    const connected = await connectWithOAuth(sample.mcpUrl, provider, { fetch: recorded.fetch });
    try {
      const exchanges = withoutStreamProbe(recorded.take());
      expect(described(exchanges)).toEqual([
        'POST MCP/mcp → 401', // the challenge
        'GET MCP/.well-known/oauth-protected-resource/mcp → 200', // our RFC 9728 metadata
        'GET AS/.well-known/oauth-authorization-server → 200', // the issuer it names
        'POST AS/reg → 201', // dynamic client registration
        'POST AS/token → 200', // the code (from the user's login) for tokens
        'POST MCP/mcp → 200', // initialize, with the token
        'POST MCP/mcp → 202', // notifications/initialized
      ]);
      expect(exchanges[0]!.authorization).toBeUndefined();
      expect(bearerChallengeOf(exchanges[0]!.wwwAuthenticate).params).toEqual({
        resource_metadata: sample.metadataUrls.mcp,
        scope: 'read:notes',
      });
      expect(exchanges.slice(5).every((exchange) => exchange.authorization === 'Bearer')).toBe(true);

      // One authorization request: code + S256 PKCE, for our resource (RFC 8707), with the challenge's scope.
      expect(provider.authorizationUrls).toHaveLength(1);
      const authorization = provider.authorizationUrls[0]!;
      expect(`${authorization.origin}${authorization.pathname}`).toBe(`${sample.issuer}/auth`);
      expect(authorization.searchParams.get('response_type')).toBe('code');
      expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorization.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(authorization.searchParams.get('resource')).toBe(sample.mcpUrl);
      expect(authorization.searchParams.get('scope')!.split(' ')).toContain('read:notes');
      // The user agent went through the dev login page and came back with a code.
      expect(described(userAgent.exchanges).some((line) => /^POST AS\/interaction\/[\w-]+\/login → 303$/.test(line))).toBe(true);

      const [tokens] = provider.savedTokens;
      expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'read:notes' });
      expect(tokens!.refresh_token).toEqual(expect.any(String));
      expect(decodeJwt(tokens!.access_token)).toMatchObject({ aud: sample.mcpUrl, iss: sample.issuer, sub: 'alice' });

      expect(connected.client.getServerVersion()?.name).toContain(`SDK ${mcpSdk}`);
      const { tools } = await connected.client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['create-note', 'list-notes', 'whoami']);
      const caller = toolJson(await connected.client.callTool({ name: 'whoami', arguments: {} }));
      expect(caller).toEqual({
        subject: 'alice',
        clientId: provider.clientInformation()!.client_id,
        scopes: ['read:notes'],
        issuer: sample.issuer,
        principalType: 'user',
      });
    } finally {
      await connected.close();
    }
  });

  it('C8, C9, O1: step-up — create-note with a read:notes token gets 403 insufficient_scope from the guard, the client re-authorizes with write:notes, and the call succeeds', async () => {
    const { client: recorded, userAgent, provider } = userClient('bob');
    const connected = await connectWithOAuth(sample.mcpUrl, provider, { fetch: recorded.fetch });
    try {
      expect(provider.savedTokens.at(-1)?.scope).toBe('read:notes');
      recorded.take();
      const loginRequests = userAgent.take().length;
      const before = await notesVisibleToRestApi();
      const text = `stepped up by the SDK v2 client on ${adapter}, MCP SDK ${mcpSdk}`;
      const createNote = () => connected.client.callTool({ name: 'create-note', arguments: { text } });

      // 1. The call is refused before the tool runs; the SDK sends the user back to the AS for more scope.
      await expect(createNote()).rejects.toBeInstanceOf(UnauthorizedError);
      const refused = withoutStreamProbe(recorded.take());
      expect(described(refused)).toEqual(['POST MCP/mcp → 403']);
      const challenge = bearerChallengeOf(refused[0]!.wwwAuthenticate);
      expect(challenge.params.error).toBe('insufficient_scope');
      expect(challenge.params.scope!.split(' ').sort()).toEqual(['read:notes', 'write:notes']);
      expect(challenge.params.resource_metadata).toBe(sample.metadataUrls.mcp);
      expect(await notesVisibleToRestApi()).toEqual(before);

      expect(provider.authorizationUrls).toHaveLength(2);
      const stepUp = provider.authorizationUrls[1]!;
      expect(stepUp.searchParams.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['read:notes', 'write:notes']));
      expect(stepUp.searchParams.get('resource')).toBe(sample.mcpUrl);
      // The user agent logs in and consents again: six requests, as many as the first login took.
      const stepUpLoginRequests = userAgent.take();
      expect(described(stepUpLoginRequests).map((line) => line.replace(/[\w-]{20,}/g, ':uid'))).toEqual([
        'GET AS/auth → 303',
        'GET AS/interaction/:uid → 200', // the login page
        'POST AS/interaction/:uid/login → 303',
        'GET AS/auth/:uid → 303',
        'GET AS/interaction/:uid → 303', // consent, granted at once by the dev server
        'GET AS/auth/:uid → 303', // back to the client's redirect URI with the code
      ]);
      expect(stepUpLoginRequests).toHaveLength(loginRequests);

      // 2. The app hands the authorization response to the transport: one token request.
      await connected.transport.finishAuth(provider.takeAuthorizationResponse());
      const tokenRequest = withoutStreamProbe(recorded.take());
      expect(described(tokenRequest)).toEqual(['POST AS/token → 200']);
      expect(provider.savedTokens.at(-1)?.scope?.split(' ').sort()).toEqual(['read:notes', 'write:notes']);

      // 3. The same call again, on the same client: it succeeds.
      const note = toolJson(await createNote()) as Note;
      expect(note).toMatchObject({ text, author: 'bob' });
      const retried = withoutStreamProbe(recorded.take());
      expect(described(retried)).toEqual(['POST MCP/mcp → 200']);
      expect(await notesVisibleToRestApi()).toContainEqual(expect.objectContaining({ id: note.id, text }));

      // Round-trips of the step-up, from the refused call to the successful one: three by the client (403,
      // token, retried call; discovery is not repeated) plus the six of the user's login above.
      expect([...refused, ...tokenRequest, ...retried]).toHaveLength(3);
    } finally {
      await connected.close();
    }
  });

  it('X4, C9, O1: a machine client with the SDK ClientCredentialsProvider gets a client_credentials token for /mcp, and steps up without a user', async () => {
    const recorded = recordingFetch();
    const { clientId, clientSecret } = sample.devClient!;
    const provider = new ClientCredentialsProvider({ clientId, clientSecret, expectedIssuer: sample.issuer, clientName: 'machine' });
    const client = new Client({ name: 'machine-client', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(sample.mcpUrl), { authProvider: provider, fetch: recorded.fetch }));
    try {
      expect(described(withoutStreamProbe(recorded.take()))).toEqual([
        'POST MCP/mcp → 401',
        'GET MCP/.well-known/oauth-protected-resource/mcp → 200',
        'GET AS/.well-known/oauth-authorization-server → 200',
        'POST AS/token → 200',
        'POST MCP/mcp → 200',
        'POST MCP/mcp → 202',
      ]);
      const token = decodeJwt(provider.tokens()!.access_token);
      expect(token).toMatchObject({ aud: sample.mcpUrl, client_id: clientId, scope: 'read:notes' });

      expect(toolJson(await client.callTool({ name: 'whoami', arguments: {} }))).toEqual({
        subject: clientId,
        clientId,
        scopes: ['read:notes'],
        issuer: sample.issuer,
        principalType: 'client',
      });
      recorded.take();

      // No user to send anywhere: on 403 the SDK asks the token endpoint for the wider scope itself (this
      // provider keeps no discovery state, so it reads both metadata documents again first).
      const note = toolJson(await client.callTool({ name: 'create-note', arguments: { text: `machine note on ${adapter}, MCP SDK ${mcpSdk}` } })) as Note;
      expect(note).toMatchObject({ author: clientId });
      expect(described(withoutStreamProbe(recorded.take()))).toEqual([
        'POST MCP/mcp → 403',
        'GET MCP/.well-known/oauth-protected-resource/mcp → 200',
        'GET AS/.well-known/oauth-authorization-server → 200',
        'POST AS/token → 200',
        'POST MCP/mcp → 200',
      ]);
      expect(decodeJwt(provider.tokens()!.access_token).scope).toBe('read:notes write:notes');
    } finally {
      await client.close();
    }
  });

  it('C6, T8: a token minted for the notes REST API is refused by /mcp with 401 invalid_token; the client then gets one for /mcp', async () => {
    const notesToken = await authorizationCodeToken(sample.authorizationServer!, { resource: sample.notesUrl, scope: 'read:notes', username: 'carol' });
    expect(decodeJwt(notesToken.access_token).aud).toBe(sample.notesUrl);
    // A valid token, for the other resource.
    const rest = await fetch(sample.notesUrl, { headers: { authorization: `Bearer ${notesToken.access_token}` } });
    expect(rest.status).toBe(200);

    const { client: recorded, provider } = userClient('carol');
    provider.useTokens({ access_token: notesToken.access_token, token_type: 'Bearer', issuer: sample.issuer });
    const connected = await connectWithOAuth(sample.mcpUrl, provider, { fetch: recorded.fetch });
    try {
      const [refused] = recorded.exchanges;
      expect(refused).toMatchObject({ method: 'POST', url: sample.mcpUrl, status: 401, authorization: 'Bearer' });
      const challenge = bearerChallengeOf(refused!.wwwAuthenticate);
      expect(challenge.params.error).toBe('invalid_token');
      expect(challenge.params.resource_metadata).toBe(sample.metadataUrls.mcp);

      // The client went through authorization again and now holds a token whose audience is /mcp.
      expect(provider.authorizationUrls).toHaveLength(1);
      expect(decodeJwt(provider.tokens()!.access_token).aud).toBe(sample.mcpUrl);
      expect(toolJson(await connected.client.callTool({ name: 'whoami', arguments: {} }))).toMatchObject({ subject: 'carol' });
    } finally {
      await connected.close();
    }
  });

  describe('with a one-second access token lifetime', () => {
    let shortLived: RunningSample;

    beforeAll(async () => {
      shortLived = await bootstrapSample({ adapter, mcpSdk, port: 0, authPort: 0, logger: false, accessTokenTtlSeconds: 1 });
    });

    afterAll(async () => {
      await shortLived?.close();
    });

    it('T9: an expired access token is refreshed with the refresh token and the session goes on, without the user', async () => {
      const recorded = recordingFetch();
      const provider = new DevLoginOAuthProvider({ userAgent: (url) => completeDevLogin(url, { username: 'dave' }) });
      const connected = await connectWithOAuth(shortLived.mcpUrl, provider, { fetch: recorded.fetch });
      try {
        const first = provider.tokens()!;
        expect(first.expires_in).toBe(1);
        expect(first.refresh_token).toEqual(expect.any(String));

        // Wait until the server refuses the token (its lifetime plus the verifier's clock tolerance).
        await vi.waitFor(
          async () => {
            const response = await fetch(shortLived.mcpUrl, {
              method: 'POST',
              headers: { authorization: `Bearer ${first.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
            });
            expect(response.status).toBe(401);
            expect(bearerChallengeOf(response.headers.get('www-authenticate')).params.error).toBe('invalid_token');
          },
          { timeout: 20_000, interval: 500 },
        );
        recorded.take();

        // The same client, the same session: the next call is refused once, refreshed, and retried.
        expect(toolJson(await connected.client.callTool({ name: 'whoami', arguments: {} }))).toMatchObject({ subject: 'dave' });
        const refreshExchanges = recorded.take().filter((exchange) => !(exchange.method === 'GET' && exchange.url === shortLived.mcpUrl));
        expect(describeExchanges(refreshExchanges, { MCP: shortLived.url, AS: shortLived.issuer })).toEqual([
          'POST MCP/mcp → 401',
          'POST AS/token → 200',
          'POST MCP/mcp → 200',
        ]);
        const refreshed = provider.tokens()!;
        expect(refreshed.access_token).not.toBe(first.access_token);
        expect(refreshed.refresh_token).not.toBe(first.refresh_token); // rotated
        expect(decodeJwt(refreshed.access_token)).toMatchObject({ aud: shortLived.mcpUrl, sub: 'dave' });
        expect(provider.authorizationUrls).toHaveLength(1); // the user was not asked again
      } finally {
        await connected.close();
      }
    }, 30_000);
  });
});
