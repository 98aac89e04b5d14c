import { createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer } from 'node:net';
import { errors } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthorizationServerUnavailableFailure, InvalidTokenFailure } from '../../../lib/errors/authentication-failures.js';
import { IssuerKeySets } from '../../../lib/verification/issuer-key-sets.js';
import { sendJson, startLoopbackServer, type LoopbackServer } from '../../fixtures/loopback-server.js';
import { createSigningKey, type TestSigningKey } from '../../fixtures/token-signer.js';
import { publicJwkOf } from '../../security/fixtures/loopback-issuer.js';

// The JWKS side of verification against real loopback servers: which failures are the client's (401)
// and which are the authorization server's (503), and how often the JWKS is fetched.
const issuer = 'https://as.example';
const options = { timeoutMs: 300, cooldownSeconds: 30, cacheMaxAgeSeconds: 600, failureBackoffSeconds: 60 };
const servers: LoopbackServer[] = [];

async function jwksServer(handler: Parameters<typeof startLoopbackServer>[0]): Promise<LoopbackServer> {
  const server = await startLoopbackServer(handler);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Resolves the key for a token signed by `key` under the given header, as the JWT verifier does. */
async function resolve(keySets: IssuerKeySets, jwksUri: string, key: TestSigningKey, header: { kid?: string } = {}) {
  const selector = { alg: key.alg, kid: 'kid' in header ? header.kid : key.kid };
  return keySets.keyFor(issuer, jwksUri, selector);
}

/** Whether `resolved` is exactly the public key of `key`, as its JWKS publishes it. */
async function isPublicKeyOf(resolved: KeyObject, key: TestSigningKey): Promise<boolean> {
  return resolved.equals(createPublicKey({ key: (await publicJwkOf(key)) as JsonWebKey, format: 'jwk' }));
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: Error) => error,
  );
}

/** The raw answer for a token, boxed so that a promise is not awaited away: a key or a promise. */
function answerFor(keySets: IssuerKeySets, jwksUri: string, key: TestSigningKey) {
  return { answer: keySets.keyFor(issuer, jwksUri, { alg: key.alg, kid: key.kid }) };
}

async function resolveNow(keySets: IssuerKeySets, jwksUri: string, key: TestSigningKey) {
  return answerFor(keySets, jwksUri, key).answer;
}

describe('IssuerKeySets', () => {
  it('hands back a key it resolved before synchronously, with no further fetch', async () => {
    const key = await createSigningKey('ES256');
    const keys = [await publicJwkOf(key)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets(options);
    const first = (answerFor(keySets, `${server.url}/jwks`, key)).answer;
    expect(first).toBeInstanceOf(Promise);
    const key1 = await first;
    const again = (answerFor(keySets, `${server.url}/jwks`, key)).answer;
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toBe(key1);
    expect(server.requests).toEqual(['/jwks']);
  });

  it('T14: a remembered key that the issuer removed stops working once a new kid reloads the set', async () => {
    const [old, rotated] = await Promise.all([createSigningKey('ES256'), createSigningKey('ES256')]);
    let keys = [await publicJwkOf(old)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets({ ...options, cooldownSeconds: 0 });
    const jwksUri = `${server.url}/jwks`;
    expect(await isPublicKeyOf(await resolveNow(keySets, jwksUri, old), old)).toBe(true);
    keys = [await publicJwkOf(rotated)];
    // The unknown kid reloads the set (no cooldown here), which no longer holds the old key.
    expect(await isPublicKeyOf(await resolveNow(keySets, jwksUri, rotated), rotated)).toBe(true);
    const failure = await failureOf(Promise.resolve().then(() => resolveNow(keySets, jwksUri, old)));
    expect(failure).toBeInstanceOf(InvalidTokenFailure);
  });

  it('a remembered key is not served from a stale set: the set is reloaded first', async () => {
    const key = await createSigningKey('ES256');
    let keys = [await publicJwkOf(key)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets({ ...options, cacheMaxAgeSeconds: 1 });
    const jwksUri = `${server.url}/jwks`;
    expect(await isPublicKeyOf(await resolveNow(keySets, jwksUri, key), key)).toBe(true);
    keys = [];
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const failure = await failureOf(Promise.resolve().then(() => resolveNow(keySets, jwksUri, key)));
    expect(failure).toBeInstanceOf(InvalidTokenFailure);
    expect(server.requests).toEqual(['/jwks', '/jwks']);
  });

  it('T14: a prefetch reloads the set and forgets the keys remembered from the one before', async () => {
    const key = await createSigningKey('ES256');
    let keys = [await publicJwkOf(key)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets(options);
    const jwksUri = `${server.url}/jwks`;
    await resolveNow(keySets, jwksUri, key);
    keys = [];
    expect(await keySets.prefetch(issuer, jwksUri)).toBe(true);
    expect(await failureOf(Promise.resolve().then(() => resolveNow(keySets, jwksUri, key)))).toBeInstanceOf(InvalidTokenFailure);
  });

  it('lookups that cannot have reloaded the set (fresh, cooling down) keep what was remembered, found or not', async () => {
    const [a, b, unknown] = await Promise.all([createSigningKey('ES256'), createSigningKey('ES256'), createSigningKey('ES256')]);
    const keys = [await publicJwkOf(a), await publicJwkOf(b)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets(options);
    const jwksUri = `${server.url}/jwks`;
    await resolveNow(keySets, jwksUri, a);
    await resolveNow(keySets, jwksUri, b);
    expect(await failureOf(Promise.resolve().then(() => resolveNow(keySets, jwksUri, unknown)))).toBeInstanceOf(InvalidTokenFailure);
    expect(answerFor(keySets, jwksUri, a).answer).not.toBeInstanceOf(Promise);
    expect(answerFor(keySets, jwksUri, b).answer).not.toBeInstanceOf(Promise);
    expect(server.requests).toEqual(['/jwks']);
  });

  it('T14: an unknown kid that reloaded the set and still matched nothing forgets the keys remembered before', async () => {
    const [old, unknown] = await Promise.all([createSigningKey('ES256'), createSigningKey('ES256')]);
    let keys = [await publicJwkOf(old)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets({ ...options, cooldownSeconds: 0 });
    const jwksUri = `${server.url}/jwks`;
    await resolveNow(keySets, jwksUri, old);
    keys = [];
    expect(await failureOf(Promise.resolve().then(() => resolveNow(keySets, jwksUri, unknown)))).toBeInstanceOf(InvalidTokenFailure);
    expect(await failureOf(Promise.resolve().then(() => resolveNow(keySets, jwksUri, old)))).toBeInstanceOf(InvalidTokenFailure);
  });

  it('resolves the published key for a token’s kid, and prefetch reports success', async () => {
    const key = await createSigningKey('ES256');
    const keys = [await publicJwkOf(key)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets(options);
    expect(await keySets.prefetch(issuer, `${server.url}/jwks`)).toBe(true);
    expect(await isPublicKeyOf(await resolve(keySets, `${server.url}/jwks`, key), key)).toBe(true);
    expect(server.requests).toEqual(['/jwks']);
  });

  it('T4: a kid that matches no key is an invalid token, not an outage', async () => {
    const key = await createSigningKey('ES256');
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys: [] }));
    const failure = await failureOf(resolve(new IssuerKeySets(options), `${server.url}/jwks`, key));
    expect(failure).toBeInstanceOf(InvalidTokenFailure);
    expect(failure.message).toBe('No key of the issuer matches the token header');
  });

  it('T5: a published key that jose matches but that is too weak for the algorithm (RSA 1024) is an invalid token', async () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys: [{ ...weak, kid: 'weak', alg: 'RS256', use: 'sig' }] }));
    const failure = await failureOf(Promise.resolve().then(() => new IssuerKeySets(options).keyFor(issuer, `${server.url}/jwks`, { alg: 'RS256', kid: 'weak' })));
    expect(failure).toBeInstanceOf(InvalidTokenFailure);
    expect(failure.message).toBe('The issuer key does not fit the token algorithm');
  });

  it('T14: an unknown kid refetches the set at most once per cooldown', async () => {
    const [published, unknown] = await Promise.all([createSigningKey('ES256'), createSigningKey('ES256')]);
    const keys = [await publicJwkOf(published)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets(options);
    const jwksUri = `${server.url}/jwks`;
    expect(await failureOf(Promise.resolve().then(() => resolveNow(keySets, jwksUri, unknown)))).toBeInstanceOf(InvalidTokenFailure);
    // Well inside the 30 s cooldown, but long enough that a cooldown read as milliseconds would be over.
    await new Promise((done) => setTimeout(done, 100));
    expect(await failureOf(Promise.resolve().then(() => resolveNow(keySets, jwksUri, unknown)))).toBeInstanceOf(InvalidTokenFailure);
    expect(server.requests).toEqual(['/jwks']);
  });

  it('holds at most maxIssuers key sets: the oldest is dropped, and its keys are fetched again', async () => {
    const key = await createSigningKey('ES256');
    const keys = [await publicJwkOf(key)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const jwksUri = `${server.url}/jwks`;
    const lookup = (keySets: IssuerKeySets, name: string) => keySets.keyFor(name, jwksUri, { alg: key.alg, kid: key.kid });
    for (const [maxIssuers, firstKeptSync] of [[1, false], [2, true], [undefined, true]] as const) {
      const keySets = new IssuerKeySets({ ...options, maxIssuers });
      await lookup(keySets, 'https://first.example');
      await lookup(keySets, 'https://second.example');
      expect(lookup(keySets, 'https://second.example')).not.toBeInstanceOf(Promise);
      const first = lookup(keySets, 'https://first.example');
      expect(first instanceof Promise, `maxIssuers ${maxIssuers}`).toBe(!firstKeptSync);
      // A dropped key set is fetched again: let that fetch end before the server closes.
      await first;
    }
  });

  it('a token without kid that several published keys could verify is refused as ambiguous', async () => {
    const [a, b] = await Promise.all([createSigningKey('ES256'), createSigningKey('ES256')]);
    const keys = [await publicJwkOf(a), await publicJwkOf(b)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const failure = await failureOf(resolve(new IssuerKeySets(options), `${server.url}/jwks`, a, { kid: undefined }));
    expect(failure).toBeInstanceOf(InvalidTokenFailure);
  });

  it('T18: after a kid-less lookup resolved the only key, kid "" is its own lookup and matches nothing', async () => {
    const key = await createSigningKey('RS256');
    const keys = [await publicJwkOf(key)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets(options);
    const jwksUri = `${server.url}/jwks`;
    expect(await isPublicKeyOf(await resolve(keySets, jwksUri, key, { kid: undefined }), key)).toBe(true);
    expect(await failureOf(Promise.resolve().then(() => resolve(keySets, jwksUri, key, { kid: '' })))).toBeInstanceOf(InvalidTokenFailure);
    // And the kid-less slot still answers with the key it resolved.
    expect(await isPublicKeyOf(await resolve(keySets, jwksUri, key, { kid: undefined }), key)).toBe(true);
  });

  it('T18: a kid-less lookup and kid "undefined" are different lookups too', async () => {
    const key = await createSigningKey('RS256');
    const keys = [await publicJwkOf(key)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets(options);
    const jwksUri = `${server.url}/jwks`;
    expect(await isPublicKeyOf(await resolve(keySets, jwksUri, key, { kid: undefined }), key)).toBe(true);
    expect(await failureOf(Promise.resolve().then(() => resolve(keySets, jwksUri, key, { kid: 'undefined' })))).toBeInstanceOf(InvalidTokenFailure);
  });

  it.each([
    ['kid "" first', ['', undefined] as const],
    ['no kid first', [undefined, ''] as const],
  ])('T18: with two ES256 keys, one published with kid "", a kid-less lookup is refused as ambiguous in any order (%s)', async (_name, order) => {
    const [blank, named] = await Promise.all([createSigningKey('ES256', ''), createSigningKey('ES256', 'named')]);
    const keys = [await publicJwkOf(blank), await publicJwkOf(named)];
    const server = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets(options);
    const jwksUri = `${server.url}/jwks`;
    for (const kid of [...order, ...order]) {
      const lookup = Promise.resolve().then(() => resolve(keySets, jwksUri, blank, { kid }));
      if (kid === '') expect(await isPublicKeyOf(await lookup, blank)).toBe(true);
      else expect(await failureOf(lookup)).toBeInstanceOf(InvalidTokenFailure);
    }
  });

  it.each([
    ['a 500', (response: Parameters<typeof sendJson>[0]) => sendJson(response, 500, {}), 'Expected 200 OK from the JSON Web Key Set HTTP response'],
    ['a body that is no key set', (response: Parameters<typeof sendJson>[0]) => sendJson(response, 200, { keys: 'none' }), new errors.JWKSInvalid().code],
    ['silence', () => undefined, new errors.JWKSTimeout().code],
  ])('C15: %s is an outage with a short, safe reason', async (_name, answer, reason) => {
    const key = await createSigningKey('ES256');
    const server = await jwksServer((_request, response) => answer(response));
    const failure = await failureOf(resolve(new IssuerKeySets(options), `${server.url}/jwks`, key));
    expect(failure).toBeInstanceOf(AuthorizationServerUnavailableFailure);
    expect(failure.message).toBe(`The JWKS of ${issuer} could not be fetched (${reason})`);
  });

  it('C15: a refused connection is an outage that names the network error; prefetch reports failure', async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const { port } = probe.address() as { port: number };
    await new Promise((done) => probe.close(done));
    const keySets = new IssuerKeySets(options);
    expect(await keySets.prefetch(issuer, `http://127.0.0.1:${port}/jwks`)).toBe(false);
    const failure = await failureOf(resolve(keySets, `http://127.0.0.1:${port}/jwks`, await createSigningKey('ES256')));
    expect(failure.message).toBe(`The JWKS of ${issuer} could not be fetched (ECONNREFUSED)`);
  });

  it('C15: after a failed fetch the JWKS is not fetched again during the backoff, so an outage is not amplified', async () => {
    const key = await createSigningKey('ES256');
    const server = await jwksServer((_request, response) => sendJson(response, 500, {}));
    const keySets = new IssuerKeySets(options);
    await failureOf(resolve(keySets, `${server.url}/jwks`, key));
    for (let i = 0; i < 5; i++) {
      const failure = await failureOf(resolve(keySets, `${server.url}/jwks`, key));
      expect(failure).toBeInstanceOf(AuthorizationServerUnavailableFailure);
      expect(failure.message).toContain('failed recently; not refetching yet');
    }
    // Still backing off well into the 60 s, after long enough that a backoff read as milliseconds would be over.
    await new Promise((done) => setTimeout(done, 100));
    expect((await failureOf(resolve(keySets, `${server.url}/jwks`, key))).message).toContain('failed recently; not refetching yet');
    expect(server.requests).toHaveLength(1);
  });

  it('follows a changed jwks_uri for the same issuer with a fresh key set', async () => {
    const key = await createSigningKey('ES256');
    const empty = await jwksServer((_request, response) => sendJson(response, 200, { keys: [] }));
    const keys = [await publicJwkOf(key)];
    const full = await jwksServer((_request, response) => sendJson(response, 200, { keys }));
    const keySets = new IssuerKeySets(options);
    expect(await failureOf(resolve(keySets, `${empty.url}/jwks`, key))).toBeInstanceOf(InvalidTokenFailure);
    expect(await isPublicKeyOf(await resolve(keySets, `${full.url}/jwks`, key), key)).toBe(true);
  });
});
