import { describe, expect, it } from 'vitest';
import {
  AuthenticationFailure,
  AuthorizationServerUnavailableFailure,
  InsufficientRoleFailure,
  InsufficientScopeFailure,
  InvalidRequestFailure,
  InvalidTokenFailure,
  MissingCredentialsFailure,
} from '../../../lib/errors/authentication-failures.js';
import { failureResponse, type FailureResponseContext } from '../../../lib/http/failure-response.js';
import { parseBearerChallenge } from '../../fixtures/www-authenticate.js';

const PRM = 'https://api.example.com/.well-known/oauth-protected-resource/mcp';
const context: FailureResponseContext = {
  resourceMetadataUrl: PRM,
  challengeScopes: ['read:notes'],
  showErrorDetails: false,
  retryAfterSeconds: 7,
};
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.dG9rZW4tc2lnbmF0dXJl';

describe('failureResponse', () => {
  it('C1/C3/C4/C5: no credentials → 401, bare challenge with resource_metadata and scope, no error', () => {
    expect(failureResponse(new MissingCredentialsFailure('No bearer token'), context)).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': `Bearer scope="read:notes", resource_metadata="${PRM}"` },
      body: { error: 'unauthorized', error_description: 'Bearer authentication is required' },
    });
  });

  it('C7: malformed request → 400 invalid_request', () => {
    expect(failureResponse(new InvalidRequestFailure('More than one Authorization header'), context)).toEqual({
      status: 400,
      headers: {
        'WWW-Authenticate': `Bearer error="invalid_request", error_description="The request is malformed", scope="read:notes", resource_metadata="${PRM}"`,
      },
      body: { error: 'invalid_request', error_description: 'The request is malformed' },
    });
  });

  it('C6: bad token → 401 invalid_token with a generic description', () => {
    expect(failureResponse(new InvalidTokenFailure('The token has expired'), context)).toEqual({
      status: 401,
      headers: {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="The access token is invalid", scope="read:notes", resource_metadata="${PRM}"`,
      },
      body: { error: 'invalid_token', error_description: 'The access token is invalid' },
    });
  });

  it('C8/C9: insufficient scope → 403 naming every required scope, not the challenge scopes', () => {
    const failure = new InsufficientScopeFailure(['read:notes', 'write:notes']);
    expect(failureResponse(failure, { ...context, challengeScopes: ['other'] })).toEqual({
      status: 403,
      headers: {
        'WWW-Authenticate': `Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="read:notes write:notes", resource_metadata="${PRM}"`,
      },
      body: { error: 'insufficient_scope', error_description: 'The access token lacks a required scope' },
    });
  });

  it('C12: a missing role → 403 access_denied with no challenge at all', () => {
    expect(failureResponse(new InsufficientRoleFailure(['admin']), context)).toEqual({
      status: 403,
      headers: {},
      body: { error: 'access_denied', error_description: 'The caller lacks a role this operation requires' },
    });
  });

  it('C12: an application’s own 403 failure with no error code is access_denied, still with no challenge', () => {
    class PolicyDenied extends AuthenticationFailure {
      readonly status = 403;
      readonly error = undefined;
      readonly publicDescription = 'Outside office hours';
    }
    expect(failureResponse(new PolicyDenied('closed'), context)).toEqual({
      status: 403,
      headers: {},
      body: { error: 'access_denied', error_description: 'Outside office hours' },
    });
  });

  it('C10: offline_access never reaches the challenge scope', () => {
    const response = failureResponse(new InsufficientScopeFailure(['offline_access', 'write:notes']), {
      ...context,
      challengeScopes: ['offline_access'],
    });
    expect(parseBearerChallenge(response.headers['WWW-Authenticate']).params.scope).toBe('write:notes');
    const bare = failureResponse(new MissingCredentialsFailure('x'), { ...context, challengeScopes: ['offline_access'] });
    expect(bare.headers['WWW-Authenticate']).toBe(`Bearer resource_metadata="${PRM}"`);
  });

  it('C15: authorization server unavailable → 503 with Retry-After and no Bearer challenge', () => {
    expect(failureResponse(new AuthorizationServerUnavailableFailure('JWKS fetch failed: ECONNREFUSED'), context)).toEqual({
      status: 503,
      headers: { 'Retry-After': '7' },
      body: { error: 'temporarily_unavailable', error_description: 'The authorization server is temporarily unavailable' },
    });
  });

  it('C15: Retry-After follows the configured seconds', () => {
    expect(failureResponse(new AuthorizationServerUnavailableFailure('x'), { ...context, retryAfterSeconds: 0 }).headers).toEqual({
      'Retry-After': '0',
    });
  });

  it.each<{ name: string; failure: AuthenticationFailure; status: number }>([
    { name: 'missing credentials', failure: new MissingCredentialsFailure('d'), status: 401 },
    { name: 'invalid request', failure: new InvalidRequestFailure('d'), status: 400 },
    { name: 'invalid token', failure: new InvalidTokenFailure('d'), status: 401 },
    { name: 'insufficient scope', failure: new InsufficientScopeFailure(['a']), status: 403 },
    { name: 'unavailable', failure: new AuthorizationServerUnavailableFailure('d'), status: 503 },
  ])('$name → status $status', ({ failure, status }) => {
    expect(failureResponse(failure, context).status).toBe(status);
  });

  describe('showErrorDetails', () => {
    const detailed = { ...context, showErrorDetails: true };

    it('C6: puts the library-written detail in the header and body only when switched on', () => {
      const failure = new InvalidTokenFailure('The token has expired');
      expect(failureResponse(failure, context).body.error_description).toBe('The access token is invalid');
      const response = failureResponse(failure, detailed);
      expect(response.body).toEqual({ error: 'invalid_token', error_description: 'The token has expired' });
      expect(parseBearerChallenge(response.headers['WWW-Authenticate']).params.error_description).toBe('The token has expired');
    });

    it('C8: the default insufficient-scope detail names the required scopes', () => {
      expect(failureResponse(new InsufficientScopeFailure(['a', 'b']), detailed).body.error_description).toBe('Required scopes: a b');
    });

    it('C15: details of a 503 are shown only when switched on', () => {
      const failure = new AuthorizationServerUnavailableFailure('JWKS of https://as.example.com could not be fetched');
      expect(failureResponse(failure, context).body.error_description).toBe('The authorization server is temporarily unavailable');
      expect(failureResponse(failure, detailed).body.error_description).toBe('JWKS of https://as.example.com could not be fetched');
    });

    it('C11: a detail with quotes, backslashes and line breaks still yields a valid challenge', () => {
      const response = failureResponse(new InvalidTokenFailure('Expected "at+jwt"\r\nbut got \\"JWT\\" — é'), detailed);
      expect(parseBearerChallenge(response.headers['WWW-Authenticate']).params.error_description).toBe('Expected at+jwtbut got JWT');
    });

    it('C5: no error information in the challenge without credentials, even with details on', () => {
      const response = failureResponse(new MissingCredentialsFailure('No bearer token in the Authorization header'), detailed);
      expect(response.headers['WWW-Authenticate']).toBe(`Bearer scope="read:notes", resource_metadata="${PRM}"`);
      expect(response.body).toEqual({ error: 'unauthorized', error_description: 'No bearer token in the Authorization header' });
    });
  });

  it('C5: challenges for every failure parse as strict RFC 6750', () => {
    for (const showErrorDetails of [false, true]) {
      for (const failure of [
        new MissingCredentialsFailure('d "x"'),
        new InvalidRequestFailure('d "x"'),
        new InvalidTokenFailure('d "x"'),
        new InsufficientScopeFailure(['a', 'b'], 'd "x"'),
      ]) {
        const header = failureResponse(failure, { ...context, showErrorDetails }).headers['WWW-Authenticate'];
        const { params } = parseBearerChallenge(header);
        expect(params.resource_metadata).toBe(PRM);
        expect(params.error).toBe(failure.error);
      }
    }
  });

  it('C4: leaves scope out when there are no challenge scopes', () => {
    expect(failureResponse(new MissingCredentialsFailure('x'), { ...context, challengeScopes: [] }).headers).toEqual({
      'WWW-Authenticate': `Bearer resource_metadata="${PRM}"`,
    });
  });

  it('X2: the body and headers never contain the token, whatever the failure and detail setting', () => {
    const failures: AuthenticationFailure[] = [
      new MissingCredentialsFailure('No bearer token in the Authorization header'),
      new InvalidRequestFailure('The bearer token is not token68 syntax'),
      new InvalidTokenFailure('The token signature is invalid'),
      new InsufficientScopeFailure(['write:notes']),
      new AuthorizationServerUnavailableFailure('The JWKS of https://as.example.com could not be fetched (timeout)'),
    ];
    for (const showErrorDetails of [false, true]) {
      for (const failure of failures) {
        const response = failureResponse(failure, { ...context, showErrorDetails });
        const serialised = JSON.stringify(response);
        expect(serialised).not.toContain(TOKEN);
        expect(serialised).not.toContain('eyJ');
        expect(serialised).not.toMatch(/\n\s+at /);
      }
    }
  });

  it('X2: never includes a stack trace', () => {
    const response = failureResponse(new InvalidTokenFailure('The token has expired'), { ...context, showErrorDetails: true });
    expect(Object.keys(response.body).sort()).toEqual(['error', 'error_description']);
    expect(JSON.stringify(response)).not.toContain('failure-response');
    expect(response.body.error_description).toBe('The token has expired');
  });
});
