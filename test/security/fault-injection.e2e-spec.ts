import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthorizationServerDiscoveryError, McpAuthModule, type McpAuthModuleOptions } from '../../lib/index.js';
import { ADAPTERS, type AdapterName, type RunningApp } from '../fixtures/http-app.js';
import { LogCapture } from '../fixtures/log-capture.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';
import { parseBearerChallenge } from '../fixtures/www-authenticate.js';
import { startLoopbackIssuer, type DiscoveryMode, type JwksMode, type LoopbackIssuer } from './fixtures/loopback-issuer.js';
import { AttackClient, startGuardedApp } from './fixtures/security-app.js';

/**
 * Fault injection against an authorization server the test controls: its JWKS and its discovery document
 * fail on demand (500, silence, garbage, wrong issuer), and the resource server must answer 503 — never
 * `invalid_token`, never a 5xx of its own — and recover by itself, without hammering the server.
 */
const resource = 'http://127.0.0.1/mcp';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function optionsFor(issuer: LoopbackIssuer, overrides: Partial<McpAuthModuleOptions> = {}): McpAuthModuleOptions {
  return {
    protectedResources: [{ resource, authorizationServers: [issuer.issuer], scopesSupported: ['read:notes'] }],
    discovery: { timeoutMs: 300, retries: 0, retryDelayMs: 10 },
    ...overrides,
  };
}

/** 503 `temporarily_unavailable` with Retry-After and no Bearer challenge: not the client's fault (C15). */
async function expectUnavailable(client: AttackClient, token: string, retryAfter: string) {
  const outcome = await client.bearer(token);
  expect(outcome.status).toBe(503);
  expect(outcome.retryAfter).toBe(retryAfter);
  expect(outcome.challenges).toEqual([]);
  expect(outcome.body).toEqual({ error: 'temporarily_unavailable', error_description: 'The authorization server is temporarily unavailable' });
  expect(outcome.handlerRuns).toBe(0);
}

describe.each(ADAPTERS)('fault injection: JWKS key rotation and kid floods (%s)', (adapter) => {
  let issuer: LoopbackIssuer;
  let app: RunningApp;
  let client: AttackClient;
  let first: TestSigningKey;

  beforeAll(async () => {
    first = await createSigningKey('ES256');
    issuer = await startLoopbackIssuer([first]);
    app = await startGuardedApp(adapter, McpAuthModule.forRoot(optionsFor(issuer, { jwt: { jwksCooldownSeconds: 1 }, retryAfterSeconds: 0 })));
    client = new AttackClient(() => app.url);
  });

  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  it('prefetches the JWKS at bootstrap, so the first request does not wait for it', () => {
    expect(issuer.jwksFetches()).toBe(1);
  });

  it('T14: a rotated key (new kid) is accepted after exactly one refetch', async () => {
    const rotated = await createSigningKey('ES256');
    await issuer.publish([first, rotated]);
    // An unknown kid triggers a refetch only once the cooldown since the last fetch (1 s here) is over.
    await sleep(1_100);
    const before = issuer.jwksFetches();
    const token = await signAccessToken(rotated, { issuer: issuer.issuer, audience: resource });
    expect((await client.bearer(token)).status).toBe(200);
    expect(issuer.jwksFetches()).toBe(before + 1);
    const again = await signAccessToken(rotated, { issuer: issuer.issuer, audience: resource });
    expect((await client.bearer(again)).status).toBe(200);
    expect(issuer.jwksFetches()).toBe(before + 1);
  });

  it('T14: a flood of tokens with random unknown kids causes at most one JWKS fetch per cooldown window', async () => {
    const stranger = await createSigningKey('ES256');
    const flood = () =>
      Promise.all(
        Array.from({ length: 50 }, () =>
          signAccessToken(stranger, { issuer: issuer.issuer, audience: resource, header: { kid: crypto.randomUUID() } }),
        ),
      );
    await sleep(1_100); // start in a fresh window
    const before = issuer.jwksFetches();
    const firstWave = await Promise.all((await flood()).map(async (token) => (await client.bearer(token)).status));
    const secondWave = await Promise.all((await flood()).map(async (token) => (await client.bearer(token)).status));
    expect(new Set([...firstWave, ...secondWave])).toEqual(new Set([401]));
    expect(issuer.jwksFetches() - before).toBeLessThanOrEqual(1);
  });
});

describe.each(ADAPTERS)('fault injection: JWKS outages (%s)', (adapter) => {
  let issuer: LoopbackIssuer;
  let app: RunningApp | undefined;
  let key: TestSigningKey;
  const token = () => signAccessToken(key, { issuer: issuer.issuer, audience: resource });

  beforeEach(async () => {
    key = await createSigningKey('ES256');
    issuer = await startLoopbackIssuer([key]);
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await issuer.close();
  });

  it.each<JwksMode>(['error', 'hang', 'garbage', 'not-json'])(
    'C15: a JWKS that answers %s → 503 with Retry-After, then recovers by itself when it comes back',
    async (failure) => {
      issuer.jwksMode = failure;
      // Retry-After 0 makes the failure backoff 0 s too, so recovery needs no waiting.
      app = await startGuardedApp(adapter, McpAuthModule.forRoot(optionsFor(issuer, { retryAfterSeconds: 0 })));
      const client = new AttackClient(() => app!.url);
      await expectUnavailable(client, await token(), '0');
      issuer.jwksMode = 'keys';
      expect((await client.bearer(await token())).status).toBe(200);
      const noToken = await client.send();
      expect(parseBearerChallenge(noToken.raw.headers['www-authenticate']?.[0]).params.error).toBeUndefined();
    },
  );

  it('C15: during an outage the JWKS is not refetched on every request, and is once the backoff is over', async () => {
    issuer.jwksMode = 'error';
    app = await startGuardedApp(adapter, McpAuthModule.forRoot(optionsFor(issuer, { retryAfterSeconds: 1 })));
    const client = new AttackClient(() => app!.url);
    const before = issuer.jwksFetches();
    for (let i = 0; i < 10; i++) await expectUnavailable(client, await token(), '1');
    expect(issuer.jwksFetches() - before).toBeLessThanOrEqual(1);
    issuer.jwksMode = 'keys';
    await sleep(1_100);
    expect((await client.bearer(await token())).status).toBe(200);
  });
});

/** What the named discovery error says for each fault: the URL tried and why it was refused. */
const DISCOVERY_FAULTS: Array<[DiscoveryMode, string]> = [
  ['hang', 'no answer within 200 ms'],
  ['wrong-issuer', '"issuer" is "https://impostor.example"'],
  ['invalid-json', 'HTTP 200 but the body is not valid JSON'],
  ['error', 'HTTP 500'],
];

/** A fresh loopback issuer for each test, closed with the app it served. */
function perTestIssuer() {
  const state = {} as { issuer: LoopbackIssuer; key: TestSigningKey; app?: RunningApp };
  beforeEach(async () => {
    state.key = await createSigningKey('ES256');
    state.issuer = await startLoopbackIssuer([state.key]);
  });
  afterEach(async () => {
    await state.app?.close();
    state.app = undefined;
    await state.issuer.close();
  });
  return state;
}

// Bootstrap fails while the module is compiled, before the HTTP adapter plays any part: one adapter suffices.
describe('fault injection: discovery at bootstrap, fail-fast', () => {
  const state = perTestIssuer();

  it.each(DISCOVERY_FAULTS)('discovery that meets %s stops bootstrap with the named error, and no app starts', async (mode, reason) => {
    const { issuer } = state;
    issuer.discoveryMode = mode;
    const logger = new LogCapture();
    const started = startGuardedApp(
      'express',
      McpAuthModule.forRoot(optionsFor(issuer, { discovery: { timeoutMs: 200, retries: 1, retryDelayMs: 10 } })),
      { logger },
    );
    const error = await started.then(
      (running) => {
        state.app = running;
        return undefined;
      },
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(AuthorizationServerDiscoveryError);
    const discoveryError = error as AuthorizationServerDiscoveryError;
    expect(discoveryError.code).toBe('MCP_AUTH_DISCOVERY_FAILED');
    expect(discoveryError.message).toContain(`${issuer.issuer}/.well-known/oauth-authorization-server: ${reason}`);
    // Unreachable (silence, 5xx) is retried once more; a definitive answer (wrong issuer, not JSON) is not.
    expect(issuer.discoveryFetches()).toBe(mode === 'hang' || mode === 'error' ? 4 : 2);
    expect(logger.text()).not.toContain('successfully started');
    expect(issuer.jwksFetches()).toBe(0);
  });
});

describe.each(ADAPTERS)('fault injection: discovery at bootstrap, lazy (%s)', (adapter: AdapterName) => {
  const state = perTestIssuer();

  it.each(DISCOVERY_FAULTS)('discovery that meets %s starts the app, answers 503, then recovers by itself', async (mode) => {
    const { issuer, key } = state;
    issuer.discoveryMode = mode;
    state.app = await startGuardedApp(
      adapter,
      McpAuthModule.forRoot(optionsFor(issuer, { discovery: { failFast: false, timeoutMs: 200, retries: 0 }, retryAfterSeconds: 0 })),
      { logger: new LogCapture() },
    );
    const client = new AttackClient(() => state.app!.url);
    await expectUnavailable(client, await signAccessToken(key, { issuer: issuer.issuer, audience: resource }), '0');
    issuer.discoveryMode = 'ok';
    expect((await client.bearer(await signAccessToken(key, { issuer: issuer.issuer, audience: resource }))).status).toBe(200);
  });
});
