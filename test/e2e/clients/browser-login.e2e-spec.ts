import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeJwt } from 'jose';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { bootstrapSample, type RunningSample } from '../../../sample/bootstrap.js';
import { clientCredentialsToken } from '../../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS } from '../../fixtures/http-app.js';
import { startLoopbackServer, type LoopbackServer } from '../../fixtures/loopback-server.js';
import { connectWithOAuth, DevLoginOAuthProvider, toolJson } from '../../fixtures/mcp-oauth-client.js';
// The sample's /mcp allows DPoP (MCP_DPOP=allowed): its 401s carry a DPoP challenge beside the Bearer one.
import { bearerChallengeOf } from '../../fixtures/www-authenticate.js';

// A real browser: Debian's Chromium, driven by playwright-core (no downloaded browser). The MCP client is
// the official SDK v2 client; when it sends the user to the authorization server, Chromium opens that URL,
// and the test types a user name and presses the button on the embedded AS's pages, as a person would. The
// AS redirects the browser to the client's loopback redirect URI, a real HTTP server, as native MCP clients
// do. Then, from a page on another origin, Chromium's own CORS enforcement is put to the test on every
// request a browser-based MCP client (the MCP Inspector's page) makes.

// Which one: CHROMIUM_PATH, else Debian's; the global setup (test/setup/) made sure it is there.
const CHROMIUM = inject('chromiumPath');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  userDataDir = await mkdtemp(join(tmpdir(), 'nestjs-mcp-auth-chromium-'));
  // A persistent context is how Playwright takes a --user-data-dir: a fresh, empty one for this run.
  browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe.each(ADAPTERS)('a person in Chromium, with the sample on %s', (adapter) => {
  let sample: RunningSample;
  let callback: LoopbackServer;

  beforeAll(async () => {
    sample = await bootstrapSample({ adapter, port: 0, authPort: 0, logger: false });
    // The client's redirect URI: a loopback listener, as MCP clients on a desktop use.
    callback = await startLoopbackServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Signed in</title><h1>You can close this window.</h1>');
    });
  });

  afterAll(async () => {
    await callback?.close();
    await sample?.close();
  });

  it('logs in and consents on the embedded authorization server pages; the client gets a token and lists the tools', async () => {
    const pagesSeen: string[] = [];
    const provider = new DevLoginOAuthProvider({
      redirectUrl: `${callback.url}/callback`,
      clientName: 'Browser e2e client',
      userAgent: async (authorizationUrl) => {
        const page = await browser.newPage();
        try {
          await page.goto(authorizationUrl);
          pagesSeen.push(`${await page.title()}: ${(await page.textContent('body'))?.replace(/\s+/g, ' ').trim()}`);
          await page.fill('input[name="username"]', 'judy');
          await page.click('button:has-text("Log in and allow")');
          await page.waitForURL(`${callback.url}/callback?**`);
          pagesSeen.push(await page.title());
          return page.url();
        } finally {
          await page.close();
        }
      },
    });

    const connected = await connectWithOAuth(sample.mcpUrl, provider, { clientName: 'browser-e2e' });
    try {
      // The dev login page named the client, the scope and the resource; the browser landed on the callback.
      expect(pagesSeen).toHaveLength(2);
      expect(pagesSeen[0]).toMatch(/^Development login: /);
      expect(pagesSeen[0]).toContain(provider.clientInformation()!.client_id);
      expect(pagesSeen[0]).toContain(sample.mcpUrl);
      expect(pagesSeen[0]).toContain('read:notes');
      expect(pagesSeen[1]).toBe('Signed in');
      const [redirect] = callback.requests;
      expect(redirect).toMatch(/^\/callback\?/);
      expect(new URLSearchParams(redirect!.split('?')[1]).get('iss')).toBe(sample.issuer);

      expect(decodeJwt(provider.tokens()!.access_token)).toMatchObject({ aud: sample.mcpUrl, sub: 'judy', scope: 'read:notes' });
      const { tools } = await connected.client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['create-note', 'list-notes', 'whoami']);
      expect(toolJson(await connected.client.callTool({ name: 'whoami', arguments: {} }))).toMatchObject({ subject: 'judy', principalType: 'user' });
    } finally {
      await connected.close();
    }
  });

  it('C1-C3, C8, P13: from a page on another origin, Chromium lets scripts do what a browser MCP client does', async () => {
    const page = await browser.newPage();
    // A page served by its own loopback server: http://localhost:<port>, another origin than both servers.
    const pageServer = await startLoopbackServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>MCP client page</title>');
    });
    try {
      const pageOrigin = pageServer.url.replace('127.0.0.1', 'localhost');
      await page.goto(pageOrigin);
      const { access_token: readToken } = await clientCredentialsToken(sample.authorizationServer!, { resource: sample.mcpUrl, scope: 'read:notes' });

      const seen = await page.evaluate(
        async ({ mcpUrl, readToken, pageOrigin }) => {
          const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
          const call = (body: object, token?: string) =>
            fetch(mcpUrl, {
              method: 'POST',
              headers: token === undefined ? mcpHeaders : { ...mcpHeaders, authorization: `Bearer ${token}` },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...body }),
            });

          // 1. The 401: its challenge must be readable, it is where discovery starts.
          const unauthorized = await call({ method: 'tools/list' });
          const challenge = unauthorized.headers.get('www-authenticate') ?? '';
          const resourceMetadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? '';
          // 2. Our metadata, then the authorization server's (the SDK sends MCP-Protocol-Version: a preflight).
          const prm = (await (await fetch(resourceMetadataUrl, { headers: { 'mcp-protocol-version': '2025-11-25' } })).json()) as {
            resource: string;
            authorization_servers: string[];
          };
          const issuer = prm.authorization_servers[0] ?? '';
          const asMetadata = (await (
            await fetch(`${issuer}/.well-known/oauth-authorization-server`, { headers: { 'mcp-protocol-version': '2025-11-25' } })
          ).json()) as { issuer: string; registration_endpoint: string };
          // 3. Dynamic registration, a JSON POST (a preflight).
          const registration = await fetch(asMetadata.registration_endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              client_name: 'browser page',
              redirect_uris: [`${pageOrigin}/oauth/callback`],
              grant_types: ['authorization_code'],
              response_types: ['code'],
              token_endpoint_auth_method: 'none',
            }),
          });
          // 4. A call with a token (Authorization: a preflight), and the 403 of a call that needs more scope.
          const tools = (await (await call({ method: 'tools/list' }, readToken)).json()) as { result: { tools: Array<{ name: string }> } };
          const forbidden = await call({ method: 'tools/call', params: { name: 'create-note', arguments: { text: 'x' } } }, readToken);
          return {
            unauthorized: { status: unauthorized.status, challenge },
            prm,
            asIssuer: asMetadata.issuer,
            registration: { status: registration.status, hasClientId: typeof ((await registration.json()) as { client_id?: unknown }).client_id === 'string' },
            toolNames: tools.result.tools.map((tool) => tool.name).sort(),
            forbidden: { status: forbidden.status, challenge: forbidden.headers.get('www-authenticate') },
          };
        },
        { mcpUrl: sample.mcpUrl, readToken, pageOrigin },
      );

      expect(page.url()).toBe(`${pageOrigin}/`);
      expect(seen.unauthorized.status).toBe(401);
      expect(bearerChallengeOf(seen.unauthorized.challenge).params).toEqual({ resource_metadata: sample.metadataUrls.mcp, scope: 'read:notes' });
      expect(seen.prm).toMatchObject({ resource: sample.mcpUrl, authorization_servers: [sample.issuer] });
      expect(seen.asIssuer).toBe(sample.issuer);
      expect(seen.registration).toEqual({ status: 201, hasClientId: true });
      expect(seen.toolNames).toEqual(['create-note', 'list-notes', 'whoami']);
      expect(seen.forbidden.status).toBe(403);
      expect(bearerChallengeOf(seen.forbidden.challenge).params).toMatchObject({ error: 'insufficient_scope', resource_metadata: sample.metadataUrls.mcp });
    } finally {
      await page.close();
      await pageServer.close();
    }
  });
});
