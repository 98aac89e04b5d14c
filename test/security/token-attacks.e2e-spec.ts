import { constants, createPublicKey, generateKeyPairSync, KeyObject, sign, type SignKeyObjectInput } from 'node:crypto';
import { CompactEncrypt, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpAuthModule } from '../../lib/index.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { signAccessToken } from '../fixtures/token-signer.js';
import {
  accessClaims,
  base64url,
  expectAccepted,
  expectInvalidToken,
  expectNoSecretsLeaked,
  HMAC_KID,
  HMAC_SECRET,
  publicJwk,
  RESOURCE,
  setUpCatalogue,
  signRaw,
} from './fixtures/catalogue.js';
import { startLoopbackIssuer, type LoopbackIssuer } from './fixtures/loopback-issuer.js';
import { AttackClient, startGuardedApp } from './fixtures/security-app.js';

/**
 * The attack catalogue, part 1: forged, re-headed and mis-claimed tokens, sent as real requests to Nest apps
 * that trust two loopback issuers whose keys the test owns. Every refusal is asserted in full — status,
 * strictly parsed challenge, JSON body — and the protected handler must not have run.
 */
describe.each(ADAPTERS)('attack catalogue: tokens (%s)', (adapter) => {
  const catalogue = setUpCatalogue(adapter);
  const now = () => Math.floor(Date.now() / 1000);

  /** Refused without the verifier fetching anything: structural checks come before any network request. */
  async function expectRefusedOffline(token: string) {
    const before = catalogue.first.jwksFetches() + catalogue.second.jwksFetches();
    expectInvalidToken(await catalogue.lenient.bearer(catalogue.secret(token)));
    expect(catalogue.first.jwksFetches() + catalogue.second.jwksFetches()).toBe(before);
  }

  it('a valid token from each trusted issuer and key type is accepted (the control case)', async () => {
    expectAccepted(await catalogue.lenient.bearer(await catalogue.token()));
    expectAccepted(await catalogue.lenient.bearer(await catalogue.token({}, catalogue.ec)));
    expectAccepted(await catalogue.lenient.bearer(await catalogue.token({ issuer: catalogue.second.issuer }, catalogue.secondKey)));
    expectAccepted(await catalogue.strict.bearer(await catalogue.token()));
  });

  describe('signature', () => {
    it('T5: alg none is refused', async () => {
      await expectRefusedOffline(new UnsecuredJWT(accessClaims(catalogue.first.issuer)).encode());
    });

    it('T5: alg none with a typ the policy accepts is refused too', async () => {
      const token = `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url(accessClaims(catalogue.first.issuer))}.`;
      await expectRefusedOffline(token);
    });

    it('T5: a valid token stripped of its signature (empty signature part) is refused', async () => {
      const [header, payload] = (await catalogue.token()).split('.');
      await expectRefusedOffline(`${header}.${payload}.`);
    });

    // One spelling per signing input; the signature part may still have two (A3, jws-attacks.e2e-spec.ts).
    it('T5: a valid token re-spelled (padded, or with non-zero pad bits in a part) is refused before any key lookup', async () => {
      const token = await catalogue.token();
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      // Flip the lowest (unused) bit of the last character of a part: lenient base64 decoders yield the same bytes.
      const respell = (part: string) => part.slice(0, -1) + alphabet[alphabet.indexOf(part.at(-1)!) ^ 1];
      const [header, payload, signature] = token.split('.') as [string, string, string];
      expect(signature.length % 4).not.toBe(0); // an RS256 signature has pad bits to abuse
      for (const variant of [`${token}=`, `${token}==`, `${header}.${payload}.${respell(signature)}`]) {
        await expectRefusedOffline(variant);
      }
      expectAccepted(await catalogue.lenient.bearer(token));
    });

    it('T4: a token signed by a key the issuer never published, under a published kid, is refused', async () => {
      const token = await catalogue.token({ header: { kid: catalogue.rsa.kid } }, catalogue.attacker);
      expectInvalidToken(await catalogue.lenient.bearer(token));
    });

    it('T5: HS256 keyed with the RSA public key (JWK, PEM) or the EC public key (key confusion) is refused', async () => {
      const rsaJwk = await publicJwk(catalogue.rsa);
      const pem = (key: typeof catalogue.rsa) => createPublicKey(KeyObject.from(key.privateKey)).export({ type: 'spki', format: 'pem' }) as string;
      const rsaPem = pem(catalogue.rsa);
      const ecPem = pem(catalogue.ec);
      for (const [secret, kid] of [
        [JSON.stringify(rsaJwk), catalogue.rsa.kid],
        [rsaPem, catalogue.rsa.kid],
        [ecPem, catalogue.ec.kid],
      ] as const) {
        const token = await new SignJWT(accessClaims(catalogue.first.issuer))
          .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
          .sign(new TextEncoder().encode(secret));
        await expectRefusedOffline(token);
      }
    });

    it('T5: a token without alg is refused', async () => {
      await expectRefusedOffline(signRaw({ kid: catalogue.rsa.kid, typ: 'at+jwt' }, accessClaims(catalogue.first.issuer), catalogue.rsa));
    });

    it.each([['HS256'], ['HS512'], ['RS1'], ['none'], ['NONE'], ['rs256'], ['ES256K'], ['RSA-OAEP'], ['']])(
      'T5: alg %j, outside the allow-list, is refused',
      async (alg) => {
        await expectRefusedOffline(signRaw({ alg, kid: catalogue.rsa.kid, typ: 'at+jwt' }, accessClaims(catalogue.first.issuer), catalogue.rsa));
      },
    );

    it('T5: an alg that does not fit the key under its kid (ES256 over an RSA key) is refused', async () => {
      // A narrowed allow-list (algorithms: ['ES256']) is covered by verification-policy.e2e-spec.ts.
      const token = signRaw({ alg: 'ES256', kid: catalogue.rsa.kid, typ: 'at+jwt' }, accessClaims(catalogue.first.issuer), catalogue.rsa);
      expectInvalidToken(await catalogue.lenient.bearer(catalogue.secret(token)));
    });

    it('T5: the kty oct key in the JWKS never verifies anything, and does not spoil the real keys', async () => {
      const hmac = new TextEncoder().encode(HMAC_SECRET);
      // HS256 under the oct key's own kid: refused by the allow-list before any key is looked up.
      const hs256 = await new SignJWT(accessClaims(catalogue.first.issuer)).setProtectedHeader({ alg: 'HS256', kid: HMAC_KID, typ: 'at+jwt' }).sign(hmac);
      await expectRefusedOffline(hs256);
      // An allowed alg pointing at the oct key's kid: no RSA key has that kid, so nothing matches.
      const pointed = await catalogue.token({ header: { kid: HMAC_KID } }, catalogue.attacker);
      expectInvalidToken(await catalogue.lenient.bearer(pointed));
      expectAccepted(await catalogue.lenient.bearer(await catalogue.token()));
    });
  });

  describe('header injection', () => {
    it('T4: a jku pointing at an attacker key set is ignored', async () => {
      await expectRefusedOffline(await catalogue.token({ header: { kid: 'attacker', jku: `${catalogue.second.issuer}/jwks` } }, catalogue.attacker));
    });

    it('T4: an x5u pointing at an attacker certificate is ignored', async () => {
      await expectRefusedOffline(await catalogue.token({ header: { kid: 'attacker', x5u: `${catalogue.second.issuer}/cert.pem` } }, catalogue.attacker));
    });

    it('T4: an embedded jwk (a self-signed token) is ignored, with or without a published kid', async () => {
      const jwk = await publicJwk(catalogue.attacker);
      expectInvalidToken(await catalogue.lenient.bearer(await catalogue.token({ header: { jwk } }, catalogue.attacker)));
      expectInvalidToken(await catalogue.lenient.bearer(await catalogue.token({ header: { jwk, kid: catalogue.rsa.kid } }, catalogue.attacker)));
    });

    it('T4: a kid that points at nothing is refused, with at most one JWKS refetch', async () => {
      const before = catalogue.first.jwksFetches();
      expectInvalidToken(await catalogue.lenient.bearer(await catalogue.token({ header: { kid: 'no-such-key' } })));
      expect(catalogue.first.jwksFetches() - before).toBeLessThanOrEqual(1);
    });

    it.each([
      ['a path', '../../../../etc/passwd'],
      ['a URL', 'http://127.0.0.1:9/jwks.json'],
      ['SQL', "' OR '1'='1' --"],
      ['a NUL and newline', 'key\u0000\r\nX-Injected: 1'],
      ['a prototype key', '__proto__'],
      ['a non-string', { $ne: null }],
      ['a very long string', 'k'.repeat(4096)],
    ])('T4: a kid holding %s is refused', async (_name, kid) => {
      const before = catalogue.first.jwksFetches();
      const token = signRaw({ alg: 'RS256', kid, typ: 'at+jwt' }, accessClaims(catalogue.first.issuer), catalogue.rsa);
      expectInvalidToken(await catalogue.lenient.bearer(catalogue.secret(token)));
      expect(catalogue.first.jwksFetches() - before).toBeLessThanOrEqual(1);
    });

    it.each([
      ['an unknown extension', { crit: ['urn:example:unknown'], 'urn:example:unknown': true }],
      ['an extension it does not carry', { crit: ['exp'] }],
      ['unencoded payload (b64: false)', { crit: ['b64'], b64: false }],
      ['an empty list', { crit: [] }],
    ])('T4: crit with %s is refused', async (_name, header) => {
      // Signed by hand: jose refuses to sign what it would refuse to verify.
      const token = signRaw({ alg: 'RS256', kid: catalogue.rsa.kid, typ: 'at+jwt', ...header }, accessClaims(catalogue.first.issuer), catalogue.rsa);
      await expectRefusedOffline(token);
    });

    it.each([
      ['unencoded payload (b64: false)', { crit: ['b64'], b64: false }],
      ['a registered claim name (exp)', { crit: ['exp'] }],
    ])('T4: crit with %s, signed by the trusted key, is refused for its crit alone', async (_name, crit) => {
      const header = { alg: 'RS256', kid: catalogue.rsa.kid, typ: 'at+jwt' };
      // The control: the same header and claims without crit are accepted, so crit is what the refusal is about.
      expectAccepted(await catalogue.strict.bearer(catalogue.secret(signRaw(header, accessClaims(catalogue.first.issuer), catalogue.rsa))));
      const token = catalogue.secret(signRaw({ ...header, ...crit }, accessClaims(catalogue.first.issuer), catalogue.rsa));
      // The lenient app's offline refusal of these headers is the case above; here the reason is asserted.
      expectInvalidToken(await catalogue.strict.bearer(token), 'The token header has critical extensions');
    });

    it.each([
      ['a number', () => 42],
      ['zero', () => 0],
      ['null', () => null],
      ['a boolean', () => true],
      ['an array holding the published kid', (publishedKid: string) => [publishedKid]],
    ])('T4: a kid that is %s, not a string, is refused before any key lookup', async (_name, kidFor) => {
      const header = { alg: 'RS256', kid: kidFor(catalogue.rsa.kid), typ: 'at+jwt' };
      const token = catalogue.secret(signRaw(header, accessClaims(catalogue.first.issuer), catalogue.rsa));
      expectInvalidToken(await catalogue.strict.bearer(token), 'The token key id is not a string');
      await expectRefusedOffline(token);
    });

    it('T4: a nested JWT (cty: JWT) is refused', async () => {
      await expectRefusedOffline(await catalogue.token({ header: { cty: 'JWT' } }));
      await expectRefusedOffline(await catalogue.token({ header: { cty: 'jwt' } }));
    });

    it('T4: a JWE (encrypted to the issuer’s own public key) is refused', async () => {
      const token = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(accessClaims(catalogue.first.issuer))))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: catalogue.rsa.kid, typ: 'at+jwt' })
        .encrypt(createPublicKey(KeyObject.from(catalogue.rsa.privateKey)));
      expect(token.split('.')).toHaveLength(5);
      await expectRefusedOffline(token);
    });
  });

  describe('claims', () => {
    it('T9: expired by the tolerance (5 s) + 1 s is refused; within the tolerance is accepted', async () => {
      expectInvalidToken(await catalogue.lenient.bearer(await catalogue.token({ claims: { exp: now() - 6 } })));
      expectAccepted(await catalogue.lenient.bearer(await catalogue.token({ claims: { exp: now() - 1 } })));
    });

    it('T9: nbf in the future is refused', async () => {
      expectInvalidToken(await catalogue.lenient.bearer(await catalogue.token({ claims: { nbf: now() + 60 } })));
    });

    it('T9: iat in the future beyond the tolerance is refused', async () => {
      expectInvalidToken(await catalogue.lenient.bearer(await catalogue.token({ claims: { iat: now() + 60 } })));
    });

    it.each([
      ['no exp', { omit: ['exp'] }],
      ['exp as a string', { claims: { exp: String(Math.floor(Date.now() / 1000) + 300) as unknown as number } }],
      ['no aud', { omit: ['aud'] }],
      ['a wrong aud', { audience: 'https://elsewhere.example/mcp' }],
      ['an aud array without ours', { audience: ['https://a.example/mcp', 'https://b.example/mcp'] }],
      ['a trailing-slash aud that is not configured', { audience: `${RESOURCE}/` }],
      ['an aud differing in case', { audience: RESOURCE.toUpperCase() }],
      ['an empty aud array', { audience: [] }],
      ['no iss', { omit: ['iss'] }],
      ['a wrong iss', { issuer: 'https://evil.example' }],
    ])('T8 T9: a token with %s is refused', async (_name, options) => {
      expectInvalidToken(await catalogue.lenient.bearer(await catalogue.token(options)));
    });

    it('T7: iss with an extra trailing slash is refused', async () => {
      await expectRefusedOffline(await catalogue.token({ issuer: `${catalogue.first.issuer}/` }));
    });

    it('T13: a token claiming the second issuer, signed with the first issuer’s key, is refused', async () => {
      const firstBefore = catalogue.first.jwksFetches();
      expectInvalidToken(await catalogue.lenient.bearer(await catalogue.token({ issuer: catalogue.second.issuer })));
      // The key set was chosen by iss; the 401 is the proof. (That the first issuer's JWKS was not refetched only
      // shows no reload was triggered: its keys were fetched at bootstrap.)
      expect(catalogue.first.jwksFetches()).toBe(firstBefore);
    });

    it.each([['at+jwt'], ['application/at+jwt'], ['AT+JWT'], ['JWT'], [undefined]])('T6: lenient mode accepts typ %s', async (typ) => {
      expectAccepted(await catalogue.lenient.bearer(await catalogue.token({ header: { typ } })));
    });

    it.each([['dpop+jwt'], ['secevent+jwt'], ['id_token+jwt'], ['at+jwt; charset=utf-8'], ['JOSE'], ['']])(
      'T6: lenient mode refuses typ %j',
      async (typ) => {
        expectInvalidToken(await catalogue.lenient.bearer(await catalogue.token({ header: { typ } })));
      },
    );

    it.each([['at+jwt'], ['application/at+jwt'], ['At+Jwt']])('T6: strict mode accepts typ %s', async (typ) => {
      expectAccepted(await catalogue.strict.bearer(await catalogue.token({ header: { typ } })));
    });

    it.each([['JWT'], ['application/jwt'], [undefined]])('T6: strict mode refuses typ %s', async (typ) => {
      const outcome = await catalogue.strict.bearer(await catalogue.token({ header: { typ } }));
      expectInvalidToken(outcome, 'The token type is not an access token type');
    });

    it('T16: an ID token for a client (aud = client id, typ JWT, nonce) is refused', async () => {
      const idToken = await catalogue.token({ audience: 'test-client', header: { typ: 'JWT' }, claims: { nonce: 'n-0S6_WzA2Mj', auth_time: now() } });
      expectInvalidToken(await catalogue.lenient.bearer(idToken));
    });

    it.each([
      ['a nonce', { nonce: 'n-0S6_WzA2Mj' }],
      ['an at_hash and no nonce (code flow)', { at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q' }],
      ['a c_hash', { c_hash: 'LDktKdoQak3Pk0cnXxCltA' }],
      ['an s_hash', { s_hash: 'x7PPgyqmGf3u5yFWRgWN_w' }],
    ])('T16: an ID token even with our resource as aud is refused when it carries %s', async (_name, claims) => {
      const idToken = await catalogue.token({ header: { typ: 'JWT' }, claims: { ...claims, auth_time: now(), azp: 'test-client' } });
      expectInvalidToken(await catalogue.lenient.bearer(idToken));
    });

    it('maxTokenAge: a token issued longer ago than allowed is refused', async () => {
      // 600 s allowed, plus the 5 s clock tolerance.
      const outcome = await catalogue.strict.bearer(await catalogue.token({ claims: { iat: now() - 606, exp: now() + 60 } }));
      // jose reports an over-age token as expired (JWTExpired on "iat"), and so do we.
      expectInvalidToken(outcome, 'The token has expired');
      expectAccepted(await catalogue.strict.bearer(await catalogue.token({ claims: { iat: now() - 300, exp: now() + 60 } })));
    });

    it('maxTokenAge: a token without iat is refused when a maximum age is set', async () => {
      const outcome = await catalogue.strict.bearer(await catalogue.token({ omit: ['iat'] }));
      expectInvalidToken(outcome, 'The token lacks the required "iat" claim');
    });
  });

  describe('weak keys', () => {
    // An issuer of its own, publishing a 1024-bit and a 2048-bit RSA key, and an app that trusts only it.
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const strong = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let issuer: LoopbackIssuer;
    let app: RunningApp;
    let client: AttackClient;

    beforeAll(async () => {
      // No `alg` on the JWKs, so the key set hands each key out for RS256 and PS256 alike.
      const jwk = (key: KeyObject, kid: string): JWK => ({ ...key.export({ format: 'jwk' }), kid, use: 'sig' });
      issuer = await startLoopbackIssuer();
      await issuer.publish([], [jwk(weak.publicKey, 'weak-1024'), jwk(strong.publicKey, 'strong-2048')]);
      const resource = { resource: RESOURCE, authorizationServers: [issuer.issuer], scopesSupported: ['read:notes', 'write:notes'] };
      app = await startGuardedApp(adapter, McpAuthModule.forRoot({ protectedResources: [resource], showErrorDetails: true }), { logger: catalogue.logs });
      client = new AttackClient(() => app.url);
    });

    afterAll(async () => {
      await app?.close();
      await issuer?.close();
    });

    /** Signed with node:crypto: jose refuses to sign with an RSA key under 2048 bits. */
    function signWith(alg: 'RS256' | 'PS256', kid: string, privateKey: KeyObject): string {
      const input = `${base64url({ alg, kid, typ: 'at+jwt' })}.${base64url(accessClaims(issuer.issuer))}`;
      const key: SignKeyObjectInput = alg === 'PS256' ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key: privateKey };
      return catalogue.secret(`${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`);
    }

    it.each([['RS256'], ['PS256']] as const)('T5: an %s token signed by a published 1024-bit RSA key is refused; by a 2048-bit one, accepted', async (alg) => {
      expectAccepted(await client.bearer(signWith(alg, 'strong-2048', strong.privateKey)));
      expectInvalidToken(await client.bearer(signWith(alg, 'weak-1024', weak.privateKey)), 'The issuer key does not fit the token algorithm');
    });
  });

  it('X2: no token, signature or key material, and no stack trace, in any log line or response', async () => {
    // One more token through every path, so the check below runs over a full transcript even if run alone.
    await catalogue.lenient.bearer(await signAccessToken(catalogue.attacker, { issuer: catalogue.first.issuer, audience: RESOURCE }).then(catalogue.secret));
    expectNoSecretsLeaked(catalogue);
  });
});
