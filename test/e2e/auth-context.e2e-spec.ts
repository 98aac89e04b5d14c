import { Controller, Get, HttpCode, Injectable, Module, UseGuards, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BearerAuthGuard, McpAuthContext, McpAuthContextInterceptor, McpAuthModule } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';

const resource = 'http://127.0.0.1/mcp';

/** A service deep in the call chain: it only sees the caller through McpAuthContext. */
@Injectable()
class CallerService {
  constructor(private readonly context: McpAuthContext) {}

  async subject(): Promise<string | null> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return this.context.get()?.subject ?? null;
  }
}

@Injectable()
class AuditedGuard extends BearerAuthGuard {}

@Controller('context')
class ContextController {
  constructor(private readonly callers: CallerService) {}

  @Get('guarded')
  @UseGuards(BearerAuthGuard)
  @HttpCode(203)
  async guarded() {
    return { subject: await this.callers.subject() };
  }

  @Get('subclass')
  @UseGuards(AuditedGuard)
  async subclass() {
    return { subject: await this.callers.subject() };
  }

  @Get('open')
  async open() {
    return { subject: await this.callers.subject() };
  }
}

describe.each(ADAPTERS)('McpAuthContext on guarded routes only (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let key: TestSigningKey;
  let app: RunningApp;
  let token: string;

  beforeAll(async () => {
    key = await createSigningKey('ES256');
    as = await startDevAuthorizationServer({ port: 0, signingJwk: key.privateJwk, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    token = await signAccessToken(key, { issuer: as.issuer, audience: resource, claims: { sub: 'alice' } });
    @Module({
      imports: [McpAuthModule.forRoot({ protectedResources: [{ resource, authorizationServers: [as.issuer] }] })],
      controllers: [ContextController],
      providers: [CallerService, AuditedGuard],
    })
    class ContextAppModule implements NestModule {
      // Another library writing `req.auth` (as Auth0's and Passport's do) must not become the current caller.
      configure(consumer: MiddlewareConsumer) {
        consumer
          .apply((request: { auth?: unknown; raw?: { auth?: unknown } }, _response: unknown, next: () => void) => {
            request.auth = { subject: 'forged', scopes: [] };
            next();
          })
          .forRoutes('context/open');
      }
    }
    app = await startApp(adapter, { imports: [ContextAppModule] });
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  const get = async (path: string) => {
    const response = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as { subject: string | null } };
  };

  it('a provider awaited by a guarded handler sees the verified caller, and the route keeps its own metadata', async () => {
    expect(await get('/context/guarded')).toEqual({ status: 203, body: { subject: 'alice' } });
  });

  it('a route guarded by a subclass of BearerAuthGuard gets the context too', async () => {
    expect(await get('/context/subclass')).toEqual({ status: 200, body: { subject: 'alice' } });
  });

  it('an unguarded route has no caller, even when other middleware wrote req.auth', async () => {
    expect(await get('/context/open')).toEqual({ status: 200, body: { subject: null } });
  });

  it('T15: concurrent requests each see their own caller', async () => {
    const tokens = await Promise.all(
      ['u1', 'u2', 'u3', 'u4', 'u5'].map((sub) => signAccessToken(key, { issuer: as.issuer, audience: resource, claims: { sub } })),
    );
    const subjects = await Promise.all(
      tokens.map(async (each) => {
        const response = await fetch(`${app.url}/context/guarded`, { headers: { authorization: `Bearer ${each}` } });
        return ((await response.json()) as { subject: string }).subject;
      }),
    );
    expect(subjects).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
  });
});

describe.each(ADAPTERS)('McpAuthContext with a global guard (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let key: TestSigningKey;
  let app: RunningApp;

  @Controller('global')
  class GlobalController {
    constructor(private readonly callers: CallerService) {}

    @Get()
    async read() {
      return { subject: await this.callers.subject() };
    }
  }

  beforeAll(async () => {
    key = await createSigningKey('ES256');
    as = await startDevAuthorizationServer({ port: 0, signingJwk: key.privateJwk, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    @Module({
      imports: [McpAuthModule.forRoot({ protectedResources: [{ resource, authorizationServers: [as.issuer] }] })],
      controllers: [GlobalController],
      providers: [
        CallerService,
        { provide: APP_GUARD, useExisting: BearerAuthGuard },
        { provide: APP_INTERCEPTOR, useClass: McpAuthContextInterceptor },
      ],
    })
    class GlobalGuardModule {}
    app = await startApp(adapter, { imports: [GlobalGuardModule] });
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  it('APP_GUARD + APP_INTERCEPTOR: the documented set-up gives every route the caller', async () => {
    const token = await signAccessToken(key, { issuer: as.issuer, audience: resource, claims: { sub: 'bob' } });
    expect((await fetch(`${app.url}/global`)).status).toBe(401);
    const response = await fetch(`${app.url}/global`, { headers: { authorization: `Bearer ${token}` } });
    expect(await response.json()).toEqual({ subject: 'bob' });
  });
});
