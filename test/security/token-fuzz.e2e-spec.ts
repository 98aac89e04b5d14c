import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpAuthModule } from '../../lib/index.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';
import { startLoopbackIssuer, type LoopbackIssuer } from './fixtures/loopback-issuer.js';
import { AttackClient, startGuardedApp, type Outcome } from './fixtures/security-app.js';

/**
 * Property-based fuzzing of the token path with fast-check. `npm test` runs a small, fixed-seed run so CI
 * is deterministic; `npm run fuzz` runs a large one with a fresh seed (FUZZ_RUNS, FUZZ_SEED=random).
 * A failure prints the seed and the shrunk counterexample; replay it with FUZZ_SEED=<seed>.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? 20260728);
const parameters = { numRuns: RUNS, seed: SEED, endOnFailure: false };
// Each run is one loopback request of a few milliseconds; leave room for slow machines and shrinking.
const TIMEOUT = Math.max(30_000, RUNS * 100);

const resource = 'http://127.0.0.1/mcp';
const TOKEN68 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=';

/** What no input may ever produce: success, a server error, a second challenge, or a malformed one. */
function expectRefused(outcome: Outcome): void {
  // Node's own parser may refuse (400, 431); the guard answers 400 or 401. Nothing else is acceptable.
  expect([400, 401, 431]).toContain(outcome.status);
  expect(outcome.handlerRuns).toBe(0);
  if (outcome.challenge) {
    // The challenge and the body tell the same story (parseBearerChallenge already checked the grammar).
    expect(outcome.body?.error).toBe(outcome.challenge.params.error ?? 'unauthorized');
  } else {
    // Only Node itself answers without a challenge, and only for a request it could not parse.
    expect(outcome.challenges).toEqual([]);
    expect([400, 431]).toContain(outcome.status);
  }
}

/** One edit of a string: replace, delete or insert a character, or cut it short. */
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.oneof(fc.constantFrom(...TOKEN68), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: fc.oneof(fc.constantFrom(...TOKEN68), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** A structural edit of a compact JWS: segments swapped, duplicated, dropped. */
const reshape = fc.constantFrom(
  ([h, p, s]: string[]) => [p, h, s],
  ([h, p, s]: string[]) => [h, s, p],
  ([h, p]: string[]) => [h, p],
  ([h, p, s]: string[]) => [h, p, s, s],
  ([h, , s]: string[]) => [h, h, s],
  ([h, p, s]: string[]) => [h, p, `${s}${s}`],
  ([h, , s]: string[]) => [h, '', s],
);

type Edit = { kind: 'replace' | 'insert'; at: number; char: string } | { kind: 'delete' | 'truncate'; at: number };

function applyEdit(token: string, change: Edit): string {
  const at = change.at % (token.length + 1);
  switch (change.kind) {
    case 'replace':
      return token.slice(0, at) + change.char + token.slice(at + 1);
    case 'insert':
      return token.slice(0, at) + change.char + token.slice(at);
    case 'delete':
      return token.slice(0, at) + token.slice(at + 1);
    case 'truncate':
      return token.slice(0, at);
  }
}

/** How the server will read a token after Node strips trailing whitespace and the guard skips leading spaces. */
const asRead = (token: string) => token.replace(/^ +/, '').replace(/[ \t]+$/, '');

describe.each(ADAPTERS)('fuzzing the token path (%s)', (adapter) => {
  let issuer: LoopbackIssuer;
  let key: TestSigningKey;
  let app: RunningApp;
  let client: AttackClient;
  let valid: string;

  beforeAll(async () => {
    key = await createSigningKey('RS256');
    issuer = await startLoopbackIssuer([key]);
    app = await startGuardedApp(
      adapter,
      McpAuthModule.forRoot({ protectedResources: [{ resource, authorizationServers: [issuer.issuer], scopesSupported: ['read:notes'] }] }),
    );
    client = new AttackClient(() => app.url);
    valid = await signAccessToken(key, { issuer: issuer.issuer, audience: resource, expiresIn: 3600 });
  });

  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  it('the valid token the mutations start from is accepted', async () => {
    expect((await client.bearer(valid)).status).toBe(200);
  });

  it(
    'random Authorization headers (any bytes, any scheme) are refused with 400/401/431 and a grammatical challenge',
    async () => {
      const scheme = fc.constantFrom('Bearer ', 'bearer ', 'BEARER  ', 'Bearer', 'Bearer\t', 'Basic ', 'DPoP ', '', ' ', 'Bearer ,');
      const value = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.string({ unit: fc.constantFrom(...TOKEN68), maxLength: 300 }),
        fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      );
      await fc.assert(
        fc.asyncProperty(scheme, value, async (prefix, rest) => {
          // Sent as UTF-8 bytes, so any code point reaches the wire (and Node's parser) as it would from a client.
          expectRefused(await client.send({ authorization: Buffer.from(prefix + rest, 'utf8') }));
        }),
        parameters,
      );
    },
    TIMEOUT,
  );

  it(
    'random JWT-shaped tokens (random headers and claims, trusted issuer or not) are refused',
    async () => {
      const header = fc.record(
        {
          alg: fc.constantFrom('RS256', 'ES256', 'none', 'HS256', 'PS256', '', 'EdDSA'),
          kid: fc.oneof(fc.constant(key.kid), fc.string({ maxLength: 40 })),
          typ: fc.constantFrom('at+jwt', 'JWT', 'dpop+jwt', undefined),
          crit: fc.constantFrom(undefined, ['b64'], ['x']),
          cty: fc.constantFrom(undefined, 'JWT'),
          jku: fc.constantFrom(undefined, `${issuer.issuer}/jwks`),
        },
        { requiredKeys: ['alg'] },
      );
      const claims = fc.record({
        iss: fc.oneof(fc.constant(issuer.issuer), fc.webUrl(), fc.jsonValue()),
        aud: fc.oneof(fc.constant(resource), fc.array(fc.constant(resource)), fc.jsonValue()),
        exp: fc.oneof(fc.integer(), fc.jsonValue()),
        scope: fc.constantFrom('read:notes', '', undefined),
      });
      const signature = fc.uint8Array({ minLength: 0, maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');
      await fc.assert(
        fc.asyncProperty(header, claims, signature, async (h, c, s) => {
          expectRefused(await client.bearer(`${encode(h)}.${encode(c)}.${s}`));
        }),
        parameters,
      );
    },
    TIMEOUT,
  );

  it(
    'mutations of a valid token (edits, re-spellings, reshaped segments) are never accepted',
    async () => {
      const mutation = fc.oneof(
        { weight: 4, arbitrary: fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => (token: string) => edits.reduce(applyEdit, token)) },
        { weight: 1, arbitrary: reshape.map((change) => (token: string) => change(token.split('.')).join('.')) },
        { weight: 1, arbitrary: fc.constantFrom('=', '==', '.', '..', '.e30').map((suffix) => (token: string) => token + suffix) },
      );
      await fc.assert(
        fc.asyncProperty(mutation, async (mutate) => {
          const mutated = mutate(valid);
          // A change the server can't see (whitespace it strips) is the same token, not a mutation.
          fc.pre(asRead(mutated) !== valid);
          expectRefused(await client.send({ authorization: Buffer.from(`Bearer ${mutated}`, 'utf8') }));
        }),
        parameters,
      );
    },
    TIMEOUT,
  );

  it('the valid token is still accepted after the fuzzing (no state was poisoned)', async () => {
    expect((await client.bearer(valid)).status).toBe(200);
  });
});
