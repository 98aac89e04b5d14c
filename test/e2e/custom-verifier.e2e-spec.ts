import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { errors } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessTokenVerifier,
  AuthorizationServerUnavailableFailure,
  InvalidTokenFailure,
  McpAuthModule,
  type AuthInfo,
  type ResolvedProtectedResource,
} from '../../lib/index.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { LogCapture } from '../fixtures/log-capture.js';
import { handlerRuns, startProtectedApp } from '../fixtures/protected-app.js';

const resource = 'http://127.0.0.1/mcp';
const issuer = 'https://tokens.example.com';
// Never contacted: the custom verifier replaces every built-in one, and the metadata is given.
const authorizationServers = [{ issuer, metadata: { issuer, jwks_uri: `${issuer}/jwks` } }];
const secretToken = 'secret-token-that-must-never-be-logged-0123456789';

/** What the application's token service does with each token. */
function lookUp(token: string, target: ResolvedProtectedResource): Record<string, unknown> {
  const exp = Math.floor(Date.now() / 1000) + 60;
  switch (token) {
    case 'good':
      return { iss: issuer, sub: 'alice', client_id: 'svc', scope: 'read:notes', aud: target.resource, exp };
    case 'invalid':
      throw new InvalidTokenFailure('Unknown token');
    case 'unauthorized':
      throw new UnauthorizedException('no such token');
    case 'jose-expired':
      throw new errors.JWTExpired('"exp" claim timestamp check failed', {});
    case 'forbidden':
      throw new ForbiddenException('blocked client');
    case 'outage':
      throw new AuthorizationServerUnavailableFailure('Token service down');
    default:
      // A bug or a dependency failure, with the token in the message, as careless code writes it.
      throw new Error(`token service lookup failed for ${token}`);
  }
}

describe.each(ADAPTERS)('custom verifiers and their errors (%s)', (adapter) => {
  // One capture for both apps: Nest's static logger is process-wide, so the last app's logger receives all lines.
  const logs = new LogCapture();
  let functionApp: RunningApp;
  let classApp: RunningApp;

  @Injectable()
  class TokenServiceVerifier extends AccessTokenVerifier {
    verify(token: string, target: ResolvedProtectedResource): Promise<AuthInfo> {
      const claims = lookUp(token, target);
      return Promise.resolve({
        token,
        clientId: claims.client_id as string,
        scopes: ['read:notes'],
        roles: [],
        issuer,
        subject: 'class-user',
        audience: [target.resource],
        principalId: `${issuer}#sub:class-user`,
        principalType: 'user',
        claims,
      });
    }
  }

  beforeAll(async () => {
    functionApp = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [{ resource, authorizationServers }],
        verifyAccessToken: (token, target) => Promise.resolve().then(() => lookUp(token, target)),
        retryAfterSeconds: 2,
      }),
      { logger: logs },
    );
    classApp = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({ protectedResources: [{ resource, authorizationServers }], verifier: TokenServiceVerifier }),
      { logger: logs },
    );
  });

  afterAll(async () => {
    await functionApp?.close();
    await classApp?.close();
  });

  it('the function form plugs into the guard, scopes and decorators', async () => {
    const { status, body } = await callWithToken(`${functionApp.url}/mcp`, 'good');
    expect(status).toBe(200);
    expect(body).toMatchObject({ subject: 'alice', clientId: 'svc', scopes: ['read:notes'], issuer, contextSubject: 'alice' });
    const write = await callWithToken(`${functionApp.url}/mcp`, 'good', 'POST');
    expect(write.status).toBe(403);
    expect(write.challenge?.params.error).toBe('insufficient_scope');
  });

  it.each([
    ['InvalidTokenFailure', 'invalid'],
    ['a 401 HttpException', 'unauthorized'],
    ['a jose token error (JWTExpired)', 'jose-expired'],
  ])('%s → 401 invalid_token with the full challenge', async (_name, token) => {
    const before = handlerRuns.count;
    const { status, challenge } = await callWithToken(`${functionApp.url}/mcp`, token);
    expect(status).toBe(401);
    expect(challenge?.params).toMatchObject({
      error: 'invalid_token',
      resource_metadata: 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp',
    });
    expect(handlerRuns.count).toBe(before);
  });

  it('AuthorizationServerUnavailableFailure → 503 with Retry-After', async () => {
    const { status, retryAfter } = await callWithToken(`${functionApp.url}/mcp`, 'outage');
    expect(status).toBe(503);
    expect(retryAfter).toBe('2');
  });

  it('another HttpException is the application’s deliberate answer and passes unchanged', async () => {
    const { status, body } = await callWithToken(`${functionApp.url}/mcp`, 'forbidden');
    expect(status).toBe(403);
    expect(body.message).toBe('blocked client');
  });

  it('any other error → 503 temporarily_unavailable, logged without the token, never a 500 or a 401', async () => {
    const { status, retryAfter, header, body } = await callWithToken(`${functionApp.url}/mcp`, secretToken);
    expect(status).toBe(503);
    expect(retryAfter).toBe('2');
    expect(header).toBeNull();
    expect(body).toEqual({ error: 'temporarily_unavailable', error_description: 'The authorization server is temporarily unavailable' });
    const errorsLogged = logs.at('error').join('\n');
    expect(errorsLogged).toContain('The custom access token verifier threw; answering 503. Error: token service lookup failed for [token]');
    expect(logs.text()).not.toContain(secretToken);
  });

  it('the class form maps errors the same way', async () => {
    // Only what the class app logs from here on: the function app's test logged the same shape before.
    const errorsBefore = logs.at('error').length;
    expect((await callWithToken(`${classApp.url}/mcp`, 'good')).body).toMatchObject({ subject: 'class-user' });
    expect((await callWithToken(`${classApp.url}/mcp`, 'invalid')).status).toBe(401);
    expect((await callWithToken(`${classApp.url}/mcp`, secretToken)).status).toBe(503);
    expect(logs.at('error').slice(errorsBefore).join('\n')).toContain(
      'The custom access token verifier threw; answering 503. Error: token service lookup failed for [token]',
    );
    expect(logs.text()).not.toContain(secretToken);
  });
});
