import { describe, expect, it } from 'vitest';

import { PROVIDER_PRESETS } from '../../../lib/doctor/provider-presets.js';
import {
  algorithmCheck,
  audienceCheck,
  issuerClaimCheck,
  lifetimeCheck,
  scopeCheck,
  signatureCheck,
  typeCheck,
  verdictCheck,
} from '../../../lib/doctor/token-checks.js';
import { resolveMcpAuthOptions } from '../../../lib/options/resolved-options.js';
import { compileScopeHierarchy } from '../../../lib/scopes/scope-matching.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const [resource] = resolveMcpAuthOptions({
  protectedResources: [{ resource: RESOURCE, audiences: ['api://notes'], authorizationServers: ['https://as.example.com'] }],
}).resources;
const NOW = 1_800_000_000;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('audienceCheck', () => {
  it('passes when aud holds the resource or one of its audiences', () => {
    expect(audienceCheck({ aud: ['x', 'api://notes'] }, resource!, undefined)).toMatchObject({ status: 'pass', detail: 'aud contains api://notes' });
    expect(audienceCheck({ aud: RESOURCE }, resource!, undefined).status).toBe('pass');
  });

  it.each([
    [undefined, 'resource=https://mcp.example.com/mcp (RFC 8707)'],
    ['keycloak', 'Audience mapper'],
    ['auth0', 'API (Applications → APIs) whose Identifier is exactly https://mcp.example.com/mcp'],
    ['entra', 'Application ID URI (api://…) or its client id (00000000-1111): set the Application ID URI to https://mcp.example.com/mcp'],
    ['okta', 'api://default unless changed'],
    ['cognito', 'pre-token-generation Lambda'],
  ] as const)('fails for another audience with the fix of preset %s', (preset, fix) => {
    const check = audienceCheck({ aud: '00000000-1111' }, resource!, preset);
    expect(check).toMatchObject({ status: 'fail', detail: 'aud is ["00000000-1111"]; accepted: ["https://mcp.example.com/mcp","api://notes"]' });
    expect(check.fix).toContain(fix);
  });

  it('says so when there is no aud at all', () => {
    expect(audienceCheck({}, resource!, 'cognito').detail).toBe('The token has no aud claim');
  });
});

describe('issuerClaimCheck', () => {
  const v2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;
  const v1 = `https://sts.windows.net/${TENANT}/`;

  it('passes only for the exact issuer', () => {
    expect(issuerClaimCheck({ iss: v2 }, v2, 'entra').status).toBe('pass');
    expect(issuerClaimCheck({ iss: `${v2}/` }, v2, undefined)).toMatchObject({ status: 'fail', fix: expect.stringContaining('trailing slash') });
  });

  it('Entra: a v1 token for a v2 issuer names accessTokenAcceptedVersion; a v2 token for a v1 issuer names the v2 issuer', () => {
    expect(issuerClaimCheck({ iss: v1 }, v2, 'entra').fix).toContain('"accessTokenAcceptedVersion": 2');
    expect(issuerClaimCheck({ iss: v2 }, v1, 'entra').fix).toContain(`--issuer ${v2}`);
    expect(issuerClaimCheck({ iss: 'https://elsewhere.example' }, v2, 'entra').fix).toContain('configure the issuer the token names');
  });

  it('Okta: the org authorization server against a custom one', () => {
    expect(issuerClaimCheck({ iss: 'https://dev-1.okta.com' }, 'https://dev-1.okta.com/oauth2/default', 'okta').fix).toContain('org authorization server');
    expect(issuerClaimCheck({ iss: 'https://dev-1.okta.com/oauth2/a' }, 'https://dev-1.okta.com/oauth2/b', 'okta').fix).not.toContain('org authorization server');
  });

  it('a missing iss is shown as null', () => {
    expect(issuerClaimCheck({}, v2, 'keycloak').detail).toBe(`iss is null, expected exactly "${v2}"`);
  });
});

describe('typeCheck, algorithmCheck, signatureCheck, verdictCheck', () => {
  it.each([
    ['at+jwt', 'strict', 'pass'],
    ['application/AT+JWT', 'strict', 'pass'],
    ['JWT', 'strict', 'fail'],
    [undefined, 'strict', 'fail'],
    ['JWT', 'lenient', 'pass'],
    [undefined, 'lenient', 'pass'],
    ['dpop+jwt', 'lenient', 'fail'],
    [7, 'lenient', 'fail'],
  ] as const)('typ %j under %s: %s', (typ, policy, status) => {
    expect(typeCheck(typ, policy).status).toBe(status);
  });

  it('algorithms: only the accepted list', () => {
    expect(algorithmCheck('ES256', ['ES256']).status).toBe('pass');
    expect(algorithmCheck('RS256', ['ES256'])).toMatchObject({ status: 'fail', detail: 'alg is "RS256"; accepted: ES256' });
    expect(algorithmCheck(undefined, ['ES256']).detail).toBe('alg is null; accepted: ES256');
  });

  it('signature outcomes', () => {
    expect(signatureCheck({ kind: 'verified', kid: 'k' })).toMatchObject({ status: 'pass', detail: 'verified with kid "k" from the JWKS' });
    expect(signatureCheck({ kind: 'verified', kid: undefined }).detail).toContain('the only fitting key');
    expect(signatureCheck({ kind: 'bad-signature', kid: 'k' }).status).toBe('fail');
    expect(signatureCheck({ kind: 'no-key', reason: 'none' })).toMatchObject({ status: 'fail', detail: 'none' });
    expect(signatureCheck({ kind: 'unavailable', reason: 'down' })).toMatchObject({ status: 'fail', fix: 'Make the JWKS reachable from the resource server' });
  });

  it("the verifier's verdict", () => {
    expect(verdictCheck(RESOURCE, { accepted: true }).status).toBe('pass');
    expect(verdictCheck(RESOURCE, { accepted: false, reason: 'no' })).toMatchObject({ status: 'fail', detail: 'no' });
  });
});

describe('lifetimeCheck (validateJwtClaims with iss and aud set aside)', () => {
  it.each([
    [{ exp: NOW + 90 }, 'pass', 'expires in 90s'],
    [{ exp: NOW + 600, nbf: NOW - 10, iat: NOW - 10 }, 'pass', 'expires in 10 min'],
    [{ exp: NOW + 7200 * 3 }, 'pass', 'expires in 6 h'],
    [{ exp: NOW + 86_400 * 3 }, 'pass', 'expires in 3 days'],
    [{ exp: NOW - 3600 }, 'fail', 'The token has expired (exp 60 min ago)'],
    [{}, 'fail', 'The token lacks the required "exp" claim'],
    [{ exp: NOW + 600, nbf: NOW + 600 }, 'fail', 'The token\'s "nbf" claim is not accepted (exp in 10 min)'],
    [{ exp: NOW + 600, iat: NOW + 600 }, 'fail', 'The token was issued in the future (exp in 10 min)'],
  ])('%j: %s', (claims, status, detail) => {
    expect(lifetimeCheck(claims, 5, NOW)).toMatchObject({ status, detail });
  });

  it('lets the clock tolerance through', () => {
    expect(lifetimeCheck({ exp: NOW - 3 }, 5, NOW).status).toBe('pass');
  });
});

describe('scopeCheck', () => {
  const hierarchy = compileScopeHierarchy({ 'notes:admin': ['notes:read'] });

  it('applies the hierarchy', () => {
    expect(scopeCheck('t', { scope: 'notes:admin' }, resource!, ['notes:read'], { hierarchy }).status).toBe('pass');
  });

  it("reads the preset's claims: Auth0 permissions count only with auth0Claims", () => {
    const claims = { scope: 'openid', permissions: ['notes:read'] };
    expect(scopeCheck('t', claims, resource!, ['notes:read'], { hierarchy, mapClaims: PROVIDER_PRESETS.auth0.mapClaims }).status).toBe('pass');
    const without = scopeCheck('t', claims, resource!, ['notes:read'], { hierarchy });
    expect(without).toMatchObject({ status: 'fail', detail: 'granted: openid; required: notes:read; missing: notes:read' });
    expect(without.fix).toContain('--preset');
  });

  it('shows (none) when nothing is granted', () => {
    expect(scopeCheck('t', {}, resource!, ['a'], { hierarchy, mapClaims: PROVIDER_PRESETS.okta.mapClaims }).detail).toBe('granted: (none); required: a; missing: a');
  });
});
