import { TerminusModule } from '@nestjs/terminus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The health endpoint exactly as docs/operations.md shows it.
import { HealthController } from '../../examples/operations/health.controller.js';
import { McpAuthModule } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { freePort } from '../fixtures/free-port.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { createSigningKey, type TestSigningKey } from '../fixtures/token-signer.js';

const RESOURCE = 'http://127.0.0.1/mcp';

interface HealthAnswer {
  status: number;
  body: { status: string; details: { 'mcp-auth': { status: string; authorizationServers: Record<string, { status: string; keys: string; reason?: string }> } } };
}

/** Asks until `expected` comes back (a JWKS that went away is noticed at the next refresh), or gives up. */
async function healthUntil(app: RunningApp, expected: number, attempts = 40): Promise<HealthAnswer> {
  let answer: HealthAnswer | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const response = await fetch(`${app.url}/health`);
    answer = { status: response.status, body: (await response.json()) as HealthAnswer['body'] };
    if (answer.status === expected) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return answer!;
}

describe.each(ADAPTERS)('McpAuthHealthIndicator with @nestjs/terminus (%s)', (adapter) => {
  let key: TestSigningKey;
  let port: number;
  let as: DevAuthorizationServer | undefined;
  let app: RunningApp;
  const startAuthorizationServer = async () => {
    as = await startDevAuthorizationServer({ port, signingJwk: key.privateJwk, resources: [{ identifier: RESOURCE, scopes: ['read:notes'] }] });
  };

  beforeAll(async () => {
    key = await createSigningKey();
    port = await freePort();
    await startAuthorizationServer();
    app = await startApp(adapter, {
      imports: [
        TerminusModule,
        McpAuthModule.forRoot({
          protectedResources: [{ resource: RESOURCE, authorizationServers: [as!.issuer] }],
          // Keys are soon stale and may be refetched every second: the test need not wait ten minutes.
          jwt: { jwksCacheMaxAgeSeconds: 1, jwksCooldownSeconds: 1 },
        }),
      ],
      controllers: [HealthController],
    });
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  it('is up while the authorization server is discovered and its keys fetch; down with the reason when the JWKS goes away; up when it is back', async () => {
    const issuer = as!.issuer;
    const up = await healthUntil(app, 200);
    expect(up.status).toBe(200);
    expect(up.body.details['mcp-auth']).toMatchObject({ status: 'up', authorizationServers: { [issuer]: { status: 'up' } } });

    await as!.close();
    as = undefined;
    const down = await healthUntil(app, 503);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    const server = down.body.details['mcp-auth'].authorizationServers[issuer]!;
    expect(server).toMatchObject({ status: 'down', keys: 'failing' });
    expect(server.reason).toMatch(/^The JWKS could not be fetched \(/);

    await startAuthorizationServer();
    const back = await healthUntil(app, 200);
    expect(back.status).toBe(200);
    expect(back.body.details['mcp-auth'].authorizationServers[issuer]).toMatchObject({ status: 'up', keys: 'fresh' });
  });
});
