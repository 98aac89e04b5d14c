import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { bootstrapSample, type RunningSample } from '../../sample/bootstrap.js';
import { sampleEnvironmentFrom } from '../../sample/sample.config.js';
import { startupBanner } from '../../sample/startup-banner.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS_AND_MCP_SDKS } from '../fixtures/sample-mcp-sdks.js';
import { challengesByScheme, parseBearerChallenge } from '../fixtures/www-authenticate.js';
import type { Note } from '../../sample/notes/notes.store.js';

// The runnable sample (design.md §3), started whole, embedded authorization server included, and driven
// as its users drive it: the official MCP SDK client and plain HTTP, with real tokens. On each adapter with
// each MCP SDK serving /mcp (MCP_SDK=v2, v1): its authorization must not depend on which SDK answers.

const MCP_ACCEPT = 'application/json, text/event-stream';

describe('sample configuration', () => {
  it('reads the design.md §3 defaults from an empty environment', () => {
    expect(sampleEnvironmentFrom({})).toEqual({ host: '127.0.0.1', port: 3000, authPort: 3001, mcpSdk: 'v2', mcpDpop: 'allowed' });
  });

  it('reads every variable', () => {
    const environment = sampleEnvironmentFrom({
      HOST: '0.0.0.0',
      PORT: '8080',
      AUTH_PORT: '0',
      MCP_AUTH_ISSUER: 'https://issuer.example',
      MCP_RESOURCE: 'https://api.example/mcp',
      NOTES_RESOURCE: 'https://api.example/notes',
      MCP_SDK: 'v1',
      MCP_DPOP: 'required',
    });
    expect(environment).toEqual({
      host: '0.0.0.0',
      port: 8080,
      authPort: 0,
      issuer: 'https://issuer.example',
      mcpResource: 'https://api.example/mcp',
      notesResource: 'https://api.example/notes',
      mcpSdk: 'v1',
      mcpDpop: 'required',
    });
  });

  it('names every malformed variable', () => {
    expect(() => sampleEnvironmentFrom({ PORT: 'http', AUTH_PORT: '70000', MCP_RESOURCE: 'not a url', MCP_SDK: 'v3', MCP_DPOP: 'yes' })).toThrow(
      /PORT must be a port number.*"http"[\s\S]*AUTH_PORT must be a port number.*"70000"[\s\S]*MCP_RESOURCE must be an http\(s\) URL[\s\S]*MCP_SDK must be one of v2, v1, got "v3"[\s\S]*MCP_DPOP must be one of allowed, required, off, got "yes"/,
    );
  });
});


describe.each(ADAPTERS_AND_MCP_SDKS)('sample on %s, MCP SDK %s', (adapter, mcpSdk) => {
  let sample: RunningSample;

  beforeAll(async () => {
    sample = await bootstrapSample({ adapter, mcpSdk, port: 0, authPort: 0, logger: false });
  });

  afterAll(async () => {
    await sample?.close();
  });

  async function token(resource: string, scope: string): Promise<string> {
    const response = await clientCredentialsToken(sample.authorizationServer!, { resource, scope });
    return response.access_token;
  }

  async function withMcpClient<T>(accessToken: string, use: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ name: 'sample-e2e', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(sample.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${accessToken}` } },
    });
    await client.connect(transport);
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  }

  async function callToolJson(client: Client, name: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const result = await client.callTool({ name, arguments: args });
    expect(result.isError ?? false).toBe(false);
    expect(result.content).toHaveLength(1);
    const [content] = result.content as Array<{ type: string; text: string }>;
    expect(content!.type).toBe('text');
    return JSON.parse(content!.text);
  }

  /** A raw JSON-RPC POST to /mcp, as any Streamable HTTP client sends it. */
  function postMcp(body: object, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(sample.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: MCP_ACCEPT, ...headers },
      body: JSON.stringify(body),
    });
  }

  async function notesVia(accessToken: string): Promise<Note[]> {
    const response = await fetch(sample.notesUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as Note[];
  }

  it('starts on free ports with the embedded authorization server', () => {
    expect(sample.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sample.mcpUrl).toBe(`${sample.url}/mcp`);
    expect(sample.notesUrl).toBe(`${sample.url}/notes`);
    expect(sample.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sample.issuer).toBe(sample.authorizationServer?.issuer);
    expect(sample.devClient?.clientId).toBe('dev-client');
  });

  it('prints where to connect and how in its start-up banner', () => {
    const banner = startupBanner(sample);
    for (const expected of [
      sample.mcpUrl,
      sample.issuer,
      sample.metadataUrls.mcp,
      sample.metadataUrls.notes,
      sample.devClient!.clientId,
      sample.devClient!.clientSecret,
      // The 2.x line, whose engines field is `>=22.19.0`: a bare `npx @modelcontextprotocol/inspector` on Node 20 gets 0.15.
      'npx @modelcontextprotocol/inspector@^2   (needs Node >= 22.19)',
      'Streamable HTTP',
      `MCP SDK ${mcpSdk}`,
      'grant_type=client_credentials',
      `resource=${sample.mcpUrl} `,
      `resource=${sample.notesUrl} `,
      `${sample.issuer}/token`,
    ]) {
      expect(banner).toContain(expected);
    }
    // One screen. test/e2e/sample-startup.e2e-spec.ts runs its curl commands.
    expect(banner.split('\n').length).toBeLessThanOrEqual(30);
  });

  describe('protected resource metadata', () => {
    it.each([
      ['mcp', '/mcp'],
      ['notes', '/notes'],
    ] as const)('P1, P3, P4: serves the %s document at the path-inserted URL, no token needed', async (name, path) => {
      const url = `${sample.url}/.well-known/oauth-protected-resource${path}`;
      expect(sample.metadataUrls[name]).toBe(url);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const metadata = (await response.json()) as Record<string, unknown>;
      expect(metadata.resource).toBe(`${sample.url}${path}`);
      expect(metadata.authorization_servers).toEqual([sample.issuer]);
      expect(metadata.scopes_supported).toEqual(['read:notes', 'write:notes']);
      expect(metadata.bearer_methods_supported).toEqual(['header']);
    });
  });

  describe('POST /mcp', () => {
    it('C1-C5: answers a request without a token with 401 and a challenge pointing at the MCP metadata', async () => {
      const response = await postMcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      expect(response.status).toBe(401);
      // MCP_DPOP=allowed (the default): a Bearer and a DPoP challenge, either scheme will do (RFC 9449 §7.1).
      expect(challengesByScheme(response.headers.get('www-authenticate'))).toEqual({
        Bearer: { resource_metadata: sample.metadataUrls.mcp, scope: 'read:notes' },
        DPoP: { resource_metadata: sample.metadataUrls.mcp, scope: 'read:notes', algs: expect.stringContaining('ES256') as string },
      });
    });

    it(`is served by MCP SDK ${mcpSdk}: initialize names it in serverInfo`, async () => {
      expect(sample.mcpSdk).toBe(mcpSdk);
      const accessToken = await token(sample.mcpUrl, 'read:notes');
      const serverInfo = await withMcpClient(accessToken, (client) => Promise.resolve(client.getServerVersion()));
      expect(serverInfo?.name).toContain(`SDK ${mcpSdk}`);
    });

    it('lists the tools to the official MCP client with a read:notes token', async () => {
      const accessToken = await token(sample.mcpUrl, 'read:notes');
      const names = await withMcpClient(accessToken, async (client) => (await client.listTools()).tools.map((tool) => tool.name));
      expect(names.sort()).toEqual(['create-note', 'list-notes', 'whoami']);
    });

    it('X4: whoami returns the subject, client id and scopes of the token', async () => {
      const accessToken = await token(sample.mcpUrl, 'read:notes');
      const caller = await withMcpClient(accessToken, (client) => callToolJson(client, 'whoami'));
      expect(caller).toEqual({
        subject: 'dev-client',
        clientId: 'dev-client',
        scopes: ['read:notes'],
        issuer: sample.issuer,
        principalType: 'client',
      });
    });

    it('list-notes returns the notes shared with the REST API', async () => {
      const writeToken = await token(sample.notesUrl, 'read:notes write:notes');
      const created = await fetch(sample.notesUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${writeToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: `from REST on ${adapter}` }),
      });
      expect(created.status).toBe(201);
      const note = (await created.json()) as Note;

      const accessToken = await token(sample.mcpUrl, 'read:notes');
      const listed = (await withMcpClient(accessToken, (client) => callToolJson(client, 'list-notes'))) as { notes: Note[] };
      expect(listed.notes).toContainEqual(note);
    });

    it('C8, C9, O1: create-note with only read:notes gets 403 insufficient_scope naming every scope it needs, before it runs', async () => {
      const readToken = await token(sample.mcpUrl, 'read:notes');
      const before = await notesVia(await token(sample.notesUrl, 'read:notes'));
      const text = `must not be written on ${adapter}`;

      // Stateless: a tools/call needs no initialize first.
      const response = await postMcp(
        { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'create-note', arguments: { text } } },
        { authorization: `Bearer ${readToken}` },
      );

      expect(response.status).toBe(403);
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      expect(challenge.params.error).toBe('insufficient_scope');
      expect(challenge.params.scope!.split(' ').sort()).toEqual(['read:notes', 'write:notes']);
      expect(challenge.params.resource_metadata).toBe(sample.metadataUrls.mcp);
      const after = await notesVia(await token(sample.notesUrl, 'read:notes'));
      expect(after).toEqual(before);
      expect(after.map((note) => note.text)).not.toContain(text);
    });

    it('C9: after stepping up to read:notes write:notes, create-note succeeds', async () => {
      const text = `stepped up on ${adapter}`;
      const accessToken = await token(sample.mcpUrl, 'read:notes write:notes');
      const note = (await withMcpClient(accessToken, (client) => callToolJson(client, 'create-note', { text }))) as Note;
      expect(note).toMatchObject({ text, author: 'dev-client' });

      const listed = (await withMcpClient(accessToken, (client) => callToolJson(client, 'list-notes'))) as { notes: Note[] };
      expect(listed.notes).toContainEqual(note);
      expect(await notesVia(await token(sample.notesUrl, 'read:notes'))).toContainEqual(note);
    });

    it('C6, T8: refuses a token issued for the notes resource with 401 invalid_token', async () => {
      const notesToken = await token(sample.notesUrl, 'read:notes write:notes');
      const response = await postMcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: `Bearer ${notesToken}` });
      expect(response.status).toBe(401);
      const challenge = challengesByScheme(response.headers.get('www-authenticate')).Bearer!;
      expect(challenge.error).toBe('invalid_token');
      expect(challenge.resource_metadata).toBe(sample.metadataUrls.mcp);
    });

    it('answers GET and DELETE with 405 and a JSON-RPC error: the server is stateless', async () => {
      const accessToken = await token(sample.mcpUrl, 'read:notes');
      for (const method of ['GET', 'DELETE']) {
        const response = await fetch(sample.mcpUrl, { method, headers: { authorization: `Bearer ${accessToken}`, accept: MCP_ACCEPT } });
        expect(response.status, method).toBe(405);
        expect(response.headers.get('allow')).toBe('POST');
        expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
      }
    });
  });

  describe('Origin check', () => {
    it('C13: refuses a foreign Origin with 403 before authentication, even without a token', async () => {
      const response = await postMcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { origin: 'https://evil.example' });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    });

    it('C13: refuses a foreign Origin with 403 even with a valid token', async () => {
      const accessToken = await token(sample.mcpUrl, 'read:notes');
      const response = await postMcp(
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        { origin: 'https://evil.example', authorization: `Bearer ${accessToken}` },
      );
      expect(response.status).toBe(403);
    });

    it.each(['null', 'not a url'])('C13: refuses an unparsable Origin (%s) with 403', async (origin) => {
      const response = await postMcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { origin });
      expect(response.status).toBe(403);
    });

    it('C13: lets a loopback Origin through to authentication (401)', async () => {
      const port = new URL(sample.url).port;
      for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`, 'http://localhost:6274']) {
        const response = await postMcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { origin });
        expect(response.status, origin).toBe(401);
      }
    });

    it('C13: lets a loopback Origin with a valid token reach the MCP server', async () => {
      const accessToken = await token(sample.mcpUrl, 'read:notes');
      const response = await postMcp(
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        { origin: `http://localhost:${new URL(sample.url).port}`, authorization: `Bearer ${accessToken}` },
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result: { tools: Array<{ name: string }> } };
      expect(body.result.tools.map((tool) => tool.name).sort()).toEqual(['create-note', 'list-notes', 'whoami']);
    });
  });

  describe('REST /notes', () => {
    it('C1, C3: answers a request without a token with 401 pointing at the notes metadata', async () => {
      const response = await fetch(sample.notesUrl);
      expect(response.status).toBe(401);
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      expect(challenge.params).toEqual({ resource_metadata: sample.metadataUrls.notes, scope: 'read:notes' });
    });

    it('GET lists the notes with a read:notes token', async () => {
      const text = `listed over REST on ${adapter}`;
      const written = await withMcpClient(await token(sample.mcpUrl, 'read:notes write:notes'), (client) =>
        callToolJson(client, 'create-note', { text }),
      );
      const notes = await notesVia(await token(sample.notesUrl, 'read:notes'));
      expect(notes).toContainEqual(written);
    });

    it('C8: POST with a read-only token gets 403 insufficient_scope for write:notes', async () => {
      const readToken = await token(sample.notesUrl, 'read:notes');
      const response = await fetch(sample.notesUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'nope' }),
      });
      expect(response.status).toBe(403);
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      expect(challenge.params).toMatchObject({
        error: 'insufficient_scope',
        scope: 'write:notes',
        resource_metadata: sample.metadataUrls.notes,
      });
    });

    it('POST creates a note with a write:notes token, and refuses a bad body with 400', async () => {
      const writeToken = await token(sample.notesUrl, 'write:notes');
      const post = (body: unknown) =>
        fetch(sample.notesUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${writeToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      const created = await post({ text: 'written over REST' });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ text: 'written over REST', author: 'dev-client' });

      for (const bad of [{}, { text: '' }, { text: 42 }, { text: 'x', extra: true }]) {
        const response = await post(bad);
        expect(response.status, JSON.stringify(bad)).toBe(400);
      }
    });

    it('C6, T8: refuses a token issued for the MCP resource with 401 invalid_token', async () => {
      const mcpToken = await token(sample.mcpUrl, 'read:notes write:notes');
      const response = await fetch(sample.notesUrl, { headers: { authorization: `Bearer ${mcpToken}` } });
      expect(response.status).toBe(401);
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      expect(challenge.params.error).toBe('invalid_token');
      expect(challenge.params.resource_metadata).toBe(sample.metadataUrls.notes);
    });
  });

  describe('with MCP_AUTH_ISSUER', () => {
    const MCP_RESOURCE = 'https://notes.example/mcp';
    const NOTES_RESOURCE = 'https://notes.example/notes';
    let externalServer: DevAuthorizationServer;
    let external: RunningSample;

    beforeAll(async () => {
      externalServer = await startDevAuthorizationServer({
        port: 0,
        resources: [
          { identifier: MCP_RESOURCE, scopes: ['read:notes', 'write:notes'] },
          { identifier: NOTES_RESOURCE, scopes: ['read:notes', 'write:notes'] },
        ],
      });
      external = await bootstrapSample({
        adapter,
        port: 0,
        issuer: externalServer.issuer,
        mcpResource: MCP_RESOURCE,
        notesResource: NOTES_RESOURCE,
        mcpSdk,
        logger: false,
      });
    });

    afterAll(async () => {
      await external?.close();
      await externalServer?.close();
    });

    it('P3, P4: trusts that issuer, starts no authorization server, and serves the configured identifiers', async () => {
      expect(external.authorizationServer).toBeUndefined();
      expect(external.devClient).toBeUndefined();
      expect(external.issuer).toBe(externalServer.issuer);
      expect(external.mcpUrl).toBe(MCP_RESOURCE);
      expect(startupBanner(external)).not.toContain(externalServer.devClient.clientSecret);

      const response = await fetch(`${external.url}/.well-known/oauth-protected-resource/mcp`);
      expect(await response.json()).toMatchObject({ resource: MCP_RESOURCE, authorization_servers: [externalServer.issuer] });
    });

    it("accepts that issuer's tokens for the MCP resource, and the resource's host as a browser Origin", async () => {
      const { access_token } = await clientCredentialsToken(externalServer, { resource: MCP_RESOURCE, scope: 'read:notes' });
      const response = await fetch(`${external.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${access_token}`,
          origin: 'https://notes.example',
          'content-type': 'application/json',
          accept: MCP_ACCEPT,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { result: { content: Array<{ text: string }> } };
      expect(JSON.parse(body.result.content[0]!.text)).toMatchObject({ issuer: externalServer.issuer, scopes: ['read:notes'] });
    });
  });
});
