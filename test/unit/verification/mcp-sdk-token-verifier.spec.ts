import { bearerAuthChallengeResponse, OAuthError } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import {
  AuthorizationServerUnavailableFailure,
  InvalidTokenFailure,
  MissingCredentialsFailure,
} from '../../../lib/errors/authentication-failures.js';
import { MAX_TOKEN_LENGTH } from '../../../lib/guards/authorization-header.js';
import { resolveMcpAuthOptions } from '../../../lib/options/resolved-options.js';
import { AccessTokenVerifier } from '../../../lib/verification/access-token-verifier.js';
import type { AuthInfo } from '../../../lib/verification/auth-info.interface.js';
import { McpSdkTokenVerifier } from '../../../lib/verification/mcp-sdk-token-verifier.js';

const resource = 'https://api.example.com/mcp';
const options = resolveMcpAuthOptions({ protectedResources: [{ resource, authorizationServers: ['https://as.example'] }] });
const accepted = { subject: 'alice' } as AuthInfo;

/** A verifier whose answer is decided by the token, standing in for any AccessTokenVerifier. */
class ScriptedVerifier extends AccessTokenVerifier {
  readonly seen: string[] = [];
  verify(token: string, target: { resource: string }): Promise<AuthInfo> {
    this.seen.push(`${token} for ${target.resource}`);
    switch (token) {
      case 'good':
        return Promise.resolve(accepted);
      case 'bad':
        return Promise.reject(new InvalidTokenFailure('signature'));
      case 'none':
        return Promise.reject(new MissingCredentialsFailure('no token'));
      case 'outage':
        return Promise.reject(new AuthorizationServerUnavailableFailure('JWKS down'));
      default:
        return Promise.reject(new TypeError('a bug in a custom verifier'));
    }
  }
}

describe('McpSdkTokenVerifier', () => {
  const verifier = new ScriptedVerifier();
  // Made inside each test, not while the suite is collected: a fault in it then fails tests, not the file.
  const sdkVerifier = () => new McpSdkTokenVerifier(verifier, options).forResource(resource);

  it('hands the token and the configured resource to the verifier and returns its AuthInfo', async () => {
    expect(await sdkVerifier().verifyAccessToken('good')).toBe(accepted);
    expect(verifier.seen).toContain(`good for ${resource}`);
  });

  it.each([
    ['an invalid token', 'bad', 'invalid_token', 'The access token is invalid'],
    ['missing credentials', 'none', 'invalid_token', 'Unauthorized'],
    // The SDK answers server_error with 500: an outage must not make the client drop a good token.
    ['an outage', 'outage', 'server_error', 'The authorization server is temporarily unavailable'],
  ])('turns %s into the SDK’s own OAuthError (%s → %s)', async (_name, token, code, message) => {
    const error = await sdkVerifier().verifyAccessToken(token).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code, message });
  });

  it.each([
    ['that is longer than the guard’s 16 KB limit', 'a'.repeat(MAX_TOKEN_LENGTH + 1)],
    ['that is not token68 (a quote)', 'abc"def'],
    ['that is not token68 (non-ASCII)', 'tökén'],
    ['that is not token68 (= inside)', 'abc=def'],
    ['that is empty', ''],
  ])('A2: a token %s is refused with the SDK’s invalid_request (400), before the verifier sees it', async (_name, token) => {
    const seen = verifier.seen.length;
    const error = await sdkVerifier().verifyAccessToken(token).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'invalid_request', message: 'The request is malformed' });
    expect(bearerAuthChallengeResponse(error).status).toBe(400);
    expect(verifier.seen).toHaveLength(seen);
  });

  it('A2: a token of exactly the limit reaches the verifier', async () => {
    const token = 'a'.repeat(MAX_TOKEN_LENGTH);
    await sdkVerifier().verifyAccessToken(token).catch(() => undefined);
    expect(verifier.seen.at(-1)).toBe(`${token} for ${resource}`);
  });

  it('lets a programming error through unchanged', async () => {
    await expect(sdkVerifier().verifyAccessToken('boom')).rejects.toThrow(TypeError);
  });

  it('refuses a resource that is not configured, naming it', () => {
    expect(() => new McpSdkTokenVerifier(verifier, options).forResource('https://api.example.com/other')).toThrow(
      'McpSdkTokenVerifier: https://api.example.com/other is not a configured protected resource',
    );
  });
});
