import { Controller, Get, UseGuards } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BearerAuthGuard, McpAuthModule, ProtectedResource, RequireScopes } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { LogCapture } from '../fixtures/log-capture.js';
import { startProtectedApp } from '../fixtures/protected-app.js';
import { parseBearerChallenge } from '../fixtures/www-authenticate.js';

const mcp = 'http://127.0.0.1/mcp';
const nested = 'https://api.example.com/a/b/mcp';
const root = 'https://api.example.com';

@Controller('api/v1/search')
@UseGuards(BearerAuthGuard)
@ProtectedResource(nested)
class NestedResourceController {
  @Get()
  @RequireScopes('search')
  search() {
    return { ok: true };
  }
}

describe.each(ADAPTERS)('protected resource metadata (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let app: RunningApp;
  let logger: LogCapture;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: mcp, scopes: ['read:notes'] }] });
    logger = new LogCapture();
    app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [
          {
            resource: mcp,
            authorizationServers: [as.issuer],
            scopesSupported: ['read:notes', 'write:notes', 'offline_access'],
            resourceName: 'Notes MCP server',
            resourceDocumentation: 'https://docs.example.com/notes',
            authorizationDetailsTypesSupported: [],
            additionalMetadata: { 'x-custom': 'kept' },
          },
          { resource: nested, authorizationServers: [as.issuer], scopesSupported: ['search'], tlsClientCertificateBoundAccessTokens: false },
          { resource: `${root}/`, authorizationServers: [as.issuer] },
        ],
        allowInsecureHttp: false,
      }),
      {
        controllers: [NestedResourceController],
        logger,
        // A global prefix must not move the well-known documents.
        configure: (nestApp) => nestApp.setGlobalPrefix('ignored-prefix', { exclude: ['mcp', 'mcp/(.*)', 'open'] }),
      },
    );
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  const fetchMetadata = async (path: string) => {
    const response = await fetch(`${app.url}${path}`);
    return { response, body: (await response.json()) as Record<string, unknown> };
  };

  it('P1 P3 P4 P5 P7: serves the document with the exact resource and issuer, as JSON', async () => {
    const { response, body } = await fetchMetadata('/.well-known/oauth-protected-resource/mcp');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.resource).toBe(mcp);
    expect(body.authorization_servers).toEqual([as.issuer]);
    expect(body.bearer_methods_supported).toEqual(['header']);
    expect(body.resource_name).toBe('Notes MCP server');
    expect(body.resource_documentation).toBe('https://docs.example.com/notes');
  });

  it('P6: offline_access is filtered out of scopes_supported, with a warning', async () => {
    const { body } = await fetchMetadata('/.well-known/oauth-protected-resource/mcp');
    expect(body.scopes_supported).toEqual(['read:notes', 'write:notes']);
    expect(logger.at('warn').join('\n')).toContain('"offline_access" is left out');
  });

  it('P8: zero-value fields are omitted and extra fields passed through', async () => {
    const { body } = await fetchMetadata('/.well-known/oauth-protected-resource/mcp');
    expect(body).not.toHaveProperty('authorization_details_types_supported');
    expect(body['x-custom']).toBe('kept');
    const { body: nestedBody } = await fetchMetadata('/.well-known/oauth-protected-resource/a/b/mcp');
    expect(nestedBody.resource).toBe(nested);
    expect(nestedBody).not.toHaveProperty('tls_client_certificate_bound_access_tokens');
  });

  it('P2: several resources each at their path-inserted URL, a path-less one at the root', async () => {
    expect((await fetchMetadata('/.well-known/oauth-protected-resource/a/b/mcp')).body.resource).toBe(nested);
    expect((await fetchMetadata('/.well-known/oauth-protected-resource')).body.resource).toBe(`${root}/`);
  });

  it('P2: the prefixed path does not exist (the global prefix does not apply)', async () => {
    const response = await fetch(`${app.url}/ignored-prefix/.well-known/oauth-protected-resource/mcp`);
    expect(response.status).toBe(404);
  });

  it('P13: readable without a token, from any origin, and cacheable', async () => {
    const response = await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`, {
      headers: { origin: 'https://inspector.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toContain('max-age=');
  });

  it('P13: answers a CORS preflight', async () => {
    const response = await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`, {
      method: 'OPTIONS',
      headers: { origin: 'https://inspector.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'mcp-protocol-version' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('GET');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('mcp-protocol-version');
  });

  it('C3: a route of the second resource challenges with that resource’s metadata URL and scopes', async () => {
    const response = await fetch(`${app.url}/ignored-prefix/api/v1/search`);
    expect(response.status).toBe(401);
    expect(parseBearerChallenge(response.headers.get('www-authenticate')).params).toEqual({
      resource_metadata: 'https://api.example.com/.well-known/oauth-protected-resource/a/b/mcp',
      scope: 'search',
    });
  });

  it('T8: a token for the first resource is refused by the second', async () => {
    const { access_token } = await clientCredentialsToken(as, { resource: mcp, scope: 'read:notes' });
    const response = await fetch(`${app.url}/ignored-prefix/api/v1/search`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(response.status).toBe(401);
    const accepted = await fetch(`${app.url}/mcp`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(accepted.status).toBe(200);
  });
});
