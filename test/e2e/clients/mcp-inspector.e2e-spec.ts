import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bootstrapSample, type RunningSample } from '../../../sample/bootstrap.js';
import { authorizationCodeToken, clientCredentialsToken, fetchAuthorizationServerMetadata } from '../../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS } from '../../fixtures/http-app.js';
// The sample's /mcp allows DPoP (MCP_DPOP=allowed): its 401s carry a DPoP challenge beside the Bearer one.
import { bearerChallengeOf } from '../../fixtures/www-authenticate.js';

// The MCP Inspector against the sample. Its CLI is run for real, as a user runs it. Its page runs in a
// browser on http://localhost:6274, so for that flow this suite checks what the browser needs from our
// servers, request by request: preflights, cross-origin reads of both metadata documents, registration and
// token requests, and challenges readable by scripts (browser-login.e2e-spec.ts does it in Chromium).
//
// The Inspector v2 (`@modelcontextprotocol/inspector` 2.x) requires Node >= 22.19, so on Node 20 the CLI
// tested is the v1 line's `@modelcontextprotocol/inspector-cli` 1.x. Its build reads its package.json
// relative to the working directory (modelcontextprotocol/inspector#1334), hence the `cwd`.

const execFileAsync = promisify(execFile);
const INSPECTOR_CLI_BUILD = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/package.json')), 'build');
const INSPECTOR_ORIGIN = 'http://localhost:6274';
const MCP_ACCEPT = 'application/json, text/event-stream';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `mcp-inspector-cli --cli <url> --transport http [--header …] --method …`, as a user runs it. */
async function inspectorCli(args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [join(INSPECTOR_CLI_BUILD, 'cli.js'), '--cli', ...args], {
      cwd: INSPECTOR_CLI_BUILD,
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe.each(ADAPTERS)('MCP Inspector against the sample on %s', (adapter) => {
  let sample: RunningSample;

  beforeAll(async () => {
    sample = await bootstrapSample({ adapter, port: 0, authPort: 0, logger: false });
  });

  afterAll(async () => {
    await sample?.close();
  });

  describe('Inspector CLI', () => {
    const text = `written by the MCP Inspector CLI on ${adapter}`;
    let listed: CliRun;
    let called: CliRun;
    let anonymous: CliRun;

    // Three independent runs of the CLI, started together: each is a pair of Node processes.
    beforeAll(async () => {
      const [reader, writer] = await Promise.all([
        authorizationCodeToken(sample.authorizationServer!, { resource: sample.mcpUrl, scope: 'read:notes', username: 'frank' }),
        authorizationCodeToken(sample.authorizationServer!, { resource: sample.mcpUrl, scope: 'read:notes write:notes', username: 'grace' }),
      ]);
      const target = [sample.mcpUrl, '--transport', 'http'];
      [listed, called, anonymous] = await Promise.all([
        inspectorCli([...target, '--header', `Authorization: Bearer ${reader.access_token}`, '--method', 'tools/list']),
        inspectorCli([
          ...target,
          '--header',
          `Authorization: Bearer ${writer.access_token}`,
          '--method',
          'tools/call',
          '--tool-name',
          'create-note',
          '--tool-arg',
          `text=${text}`,
        ]),
        inspectorCli([...target, '--method', 'tools/list']),
      ]);
    }, 60_000);

    it('lists the tools with a token a user got from the embedded authorization server', () => {
      expect(listed.code, listed.stderr).toBe(0);
      const { tools } = JSON.parse(listed.stdout) as { tools: Array<{ name: string; inputSchema: { properties: Record<string, unknown> } }> };
      expect(tools.map((tool) => tool.name).sort()).toEqual(['create-note', 'list-notes', 'whoami']);
      expect(Object.keys(tools.find((tool) => tool.name === 'create-note')!.inputSchema.properties)).toEqual(['text']);
    });

    it('calls create-note with a read:notes write:notes token, as the user who logged in', () => {
      expect(called.code, called.stderr).toBe(0);
      const result = JSON.parse(called.stdout) as { content: Array<{ text: string }>; isError?: boolean };
      expect(result.isError).toBeFalsy();
      expect(JSON.parse(result.content[0]!.text)).toMatchObject({ text, author: 'grace' });
    });

    it('C1: without a token it reports the 401 and exits non-zero', () => {
      expect(anonymous.code).not.toBe(0);
      expect(anonymous.stdout).toBe('');
      expect(anonymous.stderr).toMatch(/Bearer authentication is required/);
    });
  });

  describe(`what the Inspector page needs from a browser on ${INSPECTOR_ORIGIN}`, () => {
    const preflight = (url: string, method: string, headers: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: { origin: INSPECTOR_ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': headers },
      });
    const allowed = (response: Response, header: string) =>
      (response.headers.get(header) ?? '')
        .toLowerCase()
        .split(',')
        .map((value) => value.trim());
    const postMcp = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(sample.mcpUrl, {
        method: 'POST',
        headers: { origin: INSPECTOR_ORIGIN, 'content-type': 'application/json', accept: MCP_ACCEPT, 'mcp-protocol-version': '2025-11-25', ...headers },
        body: JSON.stringify(body),
      });

    it('C13: /mcp answers the preflight of a tools call with a token', async () => {
      const response = await preflight(sample.mcpUrl, 'POST', 'authorization, content-type, mcp-protocol-version');
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get('access-control-allow-origin')).toBe(INSPECTOR_ORIGIN);
      expect(allowed(response, 'access-control-allow-methods')).toContain('post');
      expect(allowed(response, 'access-control-allow-headers')).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'mcp-protocol-version', 'mcp-session-id']),
      );
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('K1, K4: a browser DPoP client may send its proof, and read a DPoP-Nonce', async () => {
      const response = await preflight(sample.mcpUrl, 'POST', 'authorization, content-type, dpop');
      expect(allowed(response, 'access-control-allow-headers')).toEqual(expect.arrayContaining(['authorization', 'dpop']));
      const refused = await postMcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      expect(allowed(refused, 'access-control-expose-headers')).toEqual(expect.arrayContaining(['www-authenticate', 'dpop-nonce']));
    });

    it('C1-C3: a 401 lets scripts read its challenge, which leads to the metadata', async () => {
      const response = await postMcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(INSPECTOR_ORIGIN);
      expect(allowed(response, 'access-control-expose-headers')).toContain('www-authenticate');
      expect(bearerChallengeOf(response.headers.get('www-authenticate')).params).toEqual({
        resource_metadata: sample.metadataUrls.mcp,
        scope: 'read:notes',
      });
    });

    it('C8: a 403 lets scripts read its step-up challenge', async () => {
      const { access_token } = await clientCredentialsToken(sample.authorizationServer!, { resource: sample.mcpUrl, scope: 'read:notes' });
      const response = await postMcp(
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create-note', arguments: { text: 'x' } } },
        { authorization: `Bearer ${access_token}` },
      );
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBe(INSPECTOR_ORIGIN);
      expect(allowed(response, 'access-control-expose-headers')).toContain('www-authenticate');
      expect(bearerChallengeOf(response.headers.get('www-authenticate')).params).toMatchObject({
        error: 'insufficient_scope',
        resource_metadata: sample.metadataUrls.mcp,
      });
    });

    it('a successful call is readable cross-origin', async () => {
      const { access_token } = await clientCredentialsToken(sample.authorizationServer!, { resource: sample.mcpUrl, scope: 'read:notes' });
      const response = await postMcp({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, { authorization: `Bearer ${access_token}` });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(INSPECTOR_ORIGIN);
      expect(((await response.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(3);
    });

    it('P13: the protected resource metadata is readable cross-origin, preflight included', async () => {
      const options = await preflight(sample.metadataUrls.mcp, 'GET', 'mcp-protocol-version');
      expect(options.status).toBeLessThan(300);
      expect(options.headers.get('access-control-allow-origin')).toBe('*');
      expect(allowed(options, 'access-control-allow-headers')).toContain('mcp-protocol-version');

      const response = await fetch(sample.metadataUrls.mcp, { headers: { origin: INSPECTOR_ORIGIN, 'mcp-protocol-version': '2025-11-25' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toMatchObject({ resource: sample.mcpUrl, authorization_servers: [sample.issuer] });
    });

    it('the authorization server metadata is readable cross-origin, preflight included', async () => {
      const url = `${sample.issuer}/.well-known/oauth-authorization-server`;
      const options = await preflight(url, 'GET', 'mcp-protocol-version');
      expect(options.status).toBeLessThan(300);
      expect([INSPECTOR_ORIGIN, '*']).toContain(options.headers.get('access-control-allow-origin'));

      const response = await fetch(url, { headers: { origin: INSPECTOR_ORIGIN, 'mcp-protocol-version': '2025-11-25' } });
      expect(response.status).toBe(200);
      expect([INSPECTOR_ORIGIN, '*']).toContain(response.headers.get('access-control-allow-origin'));
      expect(await response.json()).toMatchObject({ issuer: sample.issuer, code_challenge_methods_supported: ['S256'] });
    });

    it('dynamic registration and the token endpoint accept the Inspector origin, preflights included', async () => {
      const metadata = await fetchAuthorizationServerMetadata(sample.issuer);
      const registrationPreflight = await preflight(metadata.registration_endpoint, 'POST', 'content-type');
      expect(registrationPreflight.status).toBeLessThan(300);
      expect([INSPECTOR_ORIGIN, '*']).toContain(registrationPreflight.headers.get('access-control-allow-origin'));
      expect(allowed(registrationPreflight, 'access-control-allow-headers')).toContain('content-type');

      const registration = await fetch(metadata.registration_endpoint, {
        method: 'POST',
        headers: { origin: INSPECTOR_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: 'MCP Inspector',
          redirect_uris: [`${INSPECTOR_ORIGIN}/oauth/callback`],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
          scope: 'read:notes',
        }),
      });
      expect(registration.status).toBe(201);
      expect([INSPECTOR_ORIGIN, '*']).toContain(registration.headers.get('access-control-allow-origin'));
      const { client_id } = (await registration.json()) as { client_id: string };

      const tokenPreflight = await preflight(metadata.token_endpoint, 'POST', 'content-type');
      expect(tokenPreflight.status).toBeLessThan(300);
      expect([INSPECTOR_ORIGIN, '*']).toContain(tokenPreflight.headers.get('access-control-allow-origin'));
      // A refused token request (no such code) is still readable by the page, so it can show the error.
      const token = await fetch(metadata.token_endpoint, {
        method: 'POST',
        headers: { origin: INSPECTOR_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: 'unknown', client_id, code_verifier: 'x'.repeat(43), redirect_uri: `${INSPECTOR_ORIGIN}/oauth/callback` }),
      });
      expect(token.status).toBe(400);
      expect([INSPECTOR_ORIGIN, '*']).toContain(token.headers.get('access-control-allow-origin'));
      expect(await token.json()).toMatchObject({ error: 'invalid_grant' });
    });

    it('C13: a foreign origin gets no CORS grant on /mcp, and 403 on POST', async () => {
      const options = await fetch(sample.mcpUrl, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      expect(options.headers.get('access-control-allow-origin')).toBeNull();
      const response = await postMcp({ jsonrpc: '2.0', id: 4, method: 'tools/list' }, { origin: 'https://evil.example' });
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
