// The app's own test, run by its own test runner: it boots the app against the authorization server and the
// tokens that the library's consumer test passes in (ISSUER, RESOURCE, READ_TOKEN, WRITE_TOKEN).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { McpAuthModule, McpAuthOptionsError } from 'nestjs-mcp-auth';

import { AppModule, authOptionsFromEnv } from '../src/app.module.js';

const { RESOURCE = '', READ_TOKEN = '', WRITE_TOKEN = '' } = process.env;
const RESOURCE_METADATA = new URL('/.well-known/oauth-protected-resource' + new URL(RESOURCE).pathname, RESOURCE).href;

describe('GET /notes, guarded by nestjs-mcp-auth', () => {
  let app: INestApplication;
  let notesUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    await app.listen(0, '127.0.0.1');
    notesUrl = `${await app.getUrl()}/notes`;
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (authorization?: string): Promise<Response> =>
    fetch(notesUrl, { headers: authorization === undefined ? {} : { authorization } });

  it('serves a token that carries read:notes', async () => {
    const response = await get(`Bearer ${READ_TOKEN}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ notes: ['first note'], scopes: expect.arrayContaining(['read:notes']) });
  });

  it('answers 401 without a token, pointing at the resource metadata', async () => {
    const response = await get();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer scope="read:notes", resource_metadata="${RESOURCE_METADATA}"`);
  });

  it('answers 403 insufficient_scope to a token without read:notes', async () => {
    const response = await get(`Bearer ${WRITE_TOKEN}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope", .*scope="read:notes"/);
  });

  it('answers 400 invalid_request to malformed credentials', async () => {
    const response = await get('Bearer one two');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('serves the protected resource metadata without a token', async () => {
    const response = await fetch(RESOURCE_METADATA.replace(new URL(RESOURCE).origin, new URL(notesUrl).origin));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ resource: RESOURCE, scopes_supported: ['read:notes', 'write:notes'] });
  });

  it('refuses bad options at bootstrap with McpAuthOptionsError, the class this app imports', async () => {
    const insecure = { ...authOptionsFromEnv(), protectedResources: [{ resource: 'http://notes.example.com/notes', authorizationServers: ['http://login.example.com'] }] };
    const compiling = Test.createTestingModule({ imports: [McpAuthModule.forRoot(insecure)] }).compile();
    await expect(compiling).rejects.toBeInstanceOf(McpAuthOptionsError);
    await expect(compiling).rejects.toMatchObject({ code: 'MCP_AUTH_INVALID_OPTIONS' });
  });
});
