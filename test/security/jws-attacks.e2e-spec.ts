import { constants, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { compactVerify, createLocalJWKSet, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpAuthModule, type McpAuthModuleOptions } from '../../lib/index.js';
import { ADAPTERS, type AdapterName, type RunningApp } from '../fixtures/http-app.js';
import { LogCapture } from '../fixtures/log-capture.js';
import { createSigningKey, type TestSigningKey } from '../fixtures/token-signer.js';
import { accessClaims, expectAccepted, expectInvalidToken, RESOURCE } from './fixtures/catalogue.js';
import { publicJwkOf, startLoopbackIssuer, type LoopbackIssuer } from './fixtures/loopback-issuer.js';
import { AttackClient, startGuardedApp } from './fixtures/security-app.js';

/** The order of P-256 (SEC 2 §2.4.2): an ECDSA signature (r, s) has the twin (r, n − s). */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

type RawAlg = 'RS256' | 'PS256' | 'ES256';

/** Signs the exact header and payload bytes given (any bytes, valid UTF-8 or not) with node:crypto. */
function signBytes(alg: RawAlg, header: Buffer, payload: Buffer, privateKey: KeyObject): string {
  const input = `${header.toString('base64url')}.${payload.toString('base64url')}`;
  const options =
    alg === 'PS256'
      ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : alg === 'ES256'
        ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const }
        : { key: privateKey };
  return `${input}.${sign('sha256', Buffer.from(input), options).toString('base64url')}`;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** `value` as JSON, with the string `"@@"` inside it replaced by a string holding exactly `bytes`. */
function jsonWithRawBytes(value: Record<string, unknown>, bytes: number[]): Buffer {
  const [before, after] = JSON.stringify(value).split('@@') as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}

/**
 * The attack catalogue, part 3: the hand-written JWS path. Key selection by `kid` (T18), strict UTF-8 (T17),
 * exact RSA signature lengths (T19), malleable ECDSA signatures (A3) and, in `mixed` mode, JWT-shaped tokens
 * that must never be introspected (A1) — each against an issuer on loopback whose keys the test owns.
 */
describe.each(ADAPTERS)('attack catalogue: the JWS path (%s)', (adapter: AdapterName) => {
  const logs = new LogCapture();
  const apps: RunningApp[] = [];
  const clients: AttackClient[] = [];
  const secrets: string[] = [];
  let issuer: LoopbackIssuer;
  /** Published without `alg`, so it verifies RS256 and PS256 tokens alike, and without a twin of its type. */
  let rsa: KeyObject;
  /** Two ES256 keys: one published with `kid: ""`, one with a name. */
  let blank: TestSigningKey;
  let named: TestSigningKey;

  async function appWith(options: Partial<McpAuthModuleOptions> = {}): Promise<AttackClient> {
    const resource = { resource: RESOURCE, authorizationServers: [issuer.issuer], scopesSupported: ['read:notes'] };
    const app = await startGuardedApp(adapter, McpAuthModule.forRoot({ protectedResources: [resource], ...options }), { logger: logs });
    apps.push(app);
    const client = new AttackClient(() => app.url);
    clients.push(client);
    return client;
  }

  const secret = (token: string) => (secrets.push(token), token);
  const rsaToken = (alg: 'RS256' | 'PS256', header: Record<string, unknown>, claims = accessClaims(issuer.issuer)) =>
    secret(signBytes(alg, json({ alg, typ: 'at+jwt', ...header }), json(claims), rsa));
  const esToken = (key: TestSigningKey, header: Record<string, unknown>) =>
    secret(signBytes('ES256', json({ alg: 'ES256', typ: 'at+jwt', ...header }), json(accessClaims(issuer.issuer)), KeyObject.from(key.privateKey)));

  beforeAll(async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    rsa = pair.privateKey;
    [blank, named] = await Promise.all([createSigningKey('ES256', ''), createSigningKey('ES256', 'named')]);
    issuer = await startLoopbackIssuer();
    const rsaJwk: JWK = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'rsa-any', use: 'sig' };
    await issuer.publish([blank, named], [rsaJwk]);
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await issuer?.close();
  });

  describe('key selection', () => {
    it('T18: a kid-less token resolves the only RSA key; then kid "" signed by the same key is refused (no key has that id)', async () => {
      const client = await appWith();
      expectAccepted(await client.bearer(rsaToken('RS256', {})));
      expectInvalidToken(await client.bearer(rsaToken('RS256', { kid: '' })));
      expectAccepted(await client.bearer(rsaToken('RS256', { kid: 'rsa-any' })));
      expectAccepted(await client.bearer(rsaToken('RS256', {})));
    });

    it.each([
      ['kid "" first', ['', undefined]],
      ['no kid first', [undefined, '']],
    ] as const)('T18: two ES256 keys, one with kid "": the kid-less token is refused, never guessed, in any order (%s)', async (_name, order) => {
      const client = await appWith();
      for (const kid of [...order, ...order]) {
        const outcome = await client.bearer(esToken(blank, kid === undefined ? {} : { kid }));
        if (kid === '') expectAccepted(outcome);
        else expectInvalidToken(outcome);
      }
      expectAccepted(await client.bearer(esToken(named, { kid: 'named' })));
    });
  });

  describe('encoding', () => {
    let client: AttackClient;
    beforeAll(async () => {
      client = await appWith({ showErrorDetails: true });
    });

    it.each([
      ['FF FE', [0xff, 0xfe]],
      ['FE FF', [0xfe, 0xff]],
      ['an overlong "/"', [0xc0, 0xaf]],
      ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ])('T17: a signed token whose sub holds the bytes %s (not UTF-8) is 401 invalid_token', async (_name, bytes) => {
      const header = json({ alg: 'RS256', kid: 'rsa-any', typ: 'at+jwt' });
      const token = secret(signBytes('RS256', header, jsonWithRawBytes(accessClaims(issuer.issuer, { sub: '@@' }), bytes), rsa));
      expectInvalidToken(await client.bearer(token), 'The token is not a well-formed JWT');
      // The control: the same claims with a UTF-8 sub are accepted.
      const valid = secret(signBytes('RS256', header, jsonWithRawBytes(accessClaims(issuer.issuer, { sub: '@@' }), [...Buffer.from('ü€')]), rsa));
      expectAccepted(await client.bearer(valid));
    });

    it('T17: a signed token whose header holds bytes that are not UTF-8 is 401 invalid_token', async () => {
      const header = jsonWithRawBytes({ alg: 'RS256', kid: 'rsa-any', typ: 'at+jwt', x: '@@' }, [0xff]);
      const token = secret(signBytes('RS256', header, json(accessClaims(issuer.issuer)), rsa));
      expectInvalidToken(await client.bearer(token), 'The token is not a well-formed JWT');
    });
  });

  describe('signature spelling', () => {
    let client: AttackClient;
    beforeAll(async () => {
      client = await appWith({ showErrorDetails: true });
    });

    it.each([['PS256'], ['RS256']] as const)(
      'T19: %s: a signature that begins with a zero byte is refused with that byte dropped (RFC 8017 §8.1.2, §8.2.2 step 1)',
      async (alg) => {
        // PSS is randomised and PKCS #1 v1.5 is not, so a fresh jti each time gives a fresh signature: one in 256 begins with 0.
        let token: string;
        do token = signBytes(alg, json({ alg, kid: 'rsa-any', typ: 'at+jwt' }), json(accessClaims(issuer.issuer)), rsa);
        while (Buffer.from(token.split('.')[2]!, 'base64url')[0] !== 0);
        expectAccepted(await client.bearer(secret(token)));
        const signingInput = token.slice(0, token.lastIndexOf('.'));
        const shortened = `${signingInput}.${Buffer.from(token.split('.')[2]!, 'base64url').subarray(1).toString('base64url')}`;
        expectInvalidToken(await client.bearer(secret(shortened)), 'The token signature is invalid');
      },
    );

    it('A3: an ES256 token re-signed as (r, n − s) is accepted, by jose as by us: the signing input, not the string, identifies it', async () => {
      const token = esToken(named, { kid: 'named' });
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const bytes = Buffer.from(signature, 'base64url');
      const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
      const twin = Buffer.concat([bytes.subarray(0, 32), Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex')]);
      const respelled = secret(`${header}.${payload}.${twin.toString('base64url')}`);
      expect(respelled).not.toBe(token);
      expectAccepted(await client.bearer(token));
      expectAccepted(await client.bearer(respelled));
      // jose agrees that both strings are valid signatures of the same signing input.
      const keys = createLocalJWKSet({ keys: [await publicJwkOf(named)] });
      await expect(compactVerify(respelled, keys)).resolves.toBeDefined();
      expect(respelled.slice(0, respelled.lastIndexOf('.'))).toBe(token.slice(0, token.lastIndexOf('.')));
    });
  });

  describe('tokenFormat mixed', () => {
    let client: AttackClient;
    let jwt: string;

    beforeAll(async () => {
      const server = {
        issuer: issuer.issuer,
        introspection: { clientId: 'resource-server', clientSecret: 'resource-server-secret-0123456789', endpoint: issuer.introspectionEndpoint },
      };
      const resource = { resource: RESOURCE, tokenFormat: 'mixed' as const, authorizationServers: [server], scopesSupported: ['read:notes'] };
      const app = await startGuardedApp(adapter, McpAuthModule.forRoot({ protectedResources: [resource] }), { logger: logs });
      apps.push(app);
      client = new AttackClient(() => app.url);
      clients.push(client);
      // The most credulous authorization server there is: every token it is asked about is active, for us.
      const now = Math.floor(Date.now() / 1000);
      issuer.introspectionAnswer = { active: true, iss: issuer.issuer, aud: RESOURCE, exp: now + 300, scope: 'read:notes', client_id: 'c', sub: 'x' };
      // Signed until its parts hold a "-" or "_", so that it has a standard-base64 spelling.
      do jwt = rsaToken('RS256', { kid: 'rsa-any' });
      while (!/[-_]/.test(jwt));
    });

    /** Refused by the JWT verifier, with no introspection request. */
    async function expectRefusedLocally(token: string) {
      const before = issuer.introspections();
      expectInvalidToken(await client.bearer(secret(token)));
      expect(issuer.introspections()).toBe(before);
    }

    it('A1: the controls: a JWT is verified locally, an opaque token is introspected', async () => {
      const before = issuer.introspections();
      expectAccepted(await client.bearer(jwt));
      expect(issuer.introspections()).toBe(before);
      expectAccepted(await client.bearer('an-opaque-token-0123456789'));
      expect(issuer.introspections()).toBe(before + 1);
    });

    it.each([
      ['padded with "="', (token: string) => `${token}=`],
      ['padded with "=="', (token: string) => `${token}==`],
      ['in the standard base64 alphabet (+ and /)', (token: string) => token.replaceAll('-', '+').replaceAll('_', '/')],
      ['with the unused bits of its last character set', (token: string) => `${token.slice(0, -1)}${token.at(-1) === 'A' ? 'B' : 'A'}`],
      ['with a forged signature', (token: string) => `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(342)}`],
      ['with an empty signature', (token: string) => token.slice(0, token.lastIndexOf('.') + 1)],
    ])('A1: a JWT %s is refused by the JWT verifier and never sent to the authorization server', async (_name, respell) => {
      const token = respell(jwt);
      expect(token).not.toBe(jwt);
      await expectRefusedLocally(token);
    });

    it('A1: an expired JWT and one under an algorithm outside the allow-list stay refused, without introspection', async () => {
      const expired = rsaToken('RS256', { kid: 'rsa-any' }, accessClaims(issuer.issuer, { exp: Math.floor(Date.now() / 1000) - 60 }));
      await expectRefusedLocally(expired);
      await expectRefusedLocally(`${json({ alg: 'none' }).toString('base64url')}.${json(accessClaims(issuer.issuer)).toString('base64url')}.`);
      await expectRefusedLocally(`${json({ alg: 'HS256' }).toString('base64url')}.${json(accessClaims(issuer.issuer)).toString('base64url')}.c2ln`);
    });
  });

  it('X2: no token or signature part, and no stack trace, in any log line or response', async () => {
    const logged = logs.text();
    const responses = clients.map((client) => client.transcript()).join('\n');
    expect(logs.at('debug').length).toBeGreaterThan(0);
    for (const token of secrets) {
      for (const part of [token, token.split('.')[2] ?? '']) {
        if (part.length < 16) continue;
        expect(logged).not.toContain(part);
        expect(responses).not.toContain(part);
      }
    }
    expect(logged).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(logs.at('error')).toEqual([]);
  });
});
