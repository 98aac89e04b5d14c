import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessTokenVerifier,
  AuthInfo,
  BearerAuthGuard,
  InvalidTokenFailure,
  McpAuthModule,
  McpAuthOptionsError,
  MCP_AUTH_RESOLVED_OPTIONS,
  authInfoFromClaims,
  type McpAuthModuleOptions,
  type ResolvedMcpAuthOptions,
  type ResolvedProtectedResource,
} from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp } from '../fixtures/http-app.js';
import { startProtectedApp } from '../fixtures/protected-app.js';
import { parseBearerChallenge } from '../fixtures/www-authenticate.js';

const resource = 'http://127.0.0.1/mcp';

describe.each(ADAPTERS)('McpAuthModule configuration (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let token: string;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    token = (await clientCredentialsToken(as, { resource, scope: 'read:notes' })).access_token;
  });

  afterAll(async () => {
    await as?.close();
  });

  const options = (): McpAuthModuleOptions => ({ protectedResources: [{ resource, authorizationServers: [as.issuer] }] });

  async function expectProtects(authModule: ReturnType<typeof McpAuthModule.forRoot>) {
    const app = await startProtectedApp(adapter, authModule);
    try {
      expect((await fetch(`${app.url}/mcp`)).status).toBe(401);
      expect((await fetch(`${app.url}/mcp`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await app.close();
    }
  }

  it('forRoot', async () => {
    await expectProtects(McpAuthModule.forRoot(options()));
  });

  it('forRootAsync with useFactory, imports and inject (ConfigService)', async () => {
    process.env.TEST_MCP_ISSUER = as.issuer;
    await expectProtects(
      McpAuthModule.forRootAsync({
        imports: [ConfigModule.forRoot({ ignoreEnvFile: true })],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          protectedResources: [{ resource, authorizationServers: [config.getOrThrow<string>('TEST_MCP_ISSUER')] }],
        }),
      }),
    );
  });

  it('forRootAsync with useClass', async () => {
    const issuer = as.issuer;
    @Injectable()
    class McpAuthConfig {
      createMcpAuthOptions(): McpAuthModuleOptions {
        return { protectedResources: [{ resource, authorizationServers: [issuer] }] };
      }
    }
    await expectProtects(McpAuthModule.forRootAsync({ useClass: McpAuthConfig }));
  });

  it('forRootAsync with useExisting', async () => {
    const issuer = as.issuer;
    @Injectable()
    class SharedAuthConfig {
      createMcpAuthOptions(): McpAuthModuleOptions {
        return { protectedResources: [{ resource, authorizationServers: [issuer] }] };
      }
    }
    @Module({ providers: [SharedAuthConfig], exports: [SharedAuthConfig] })
    class SharedConfigModule {}
    await expectProtects(McpAuthModule.forRootAsync({ imports: [SharedConfigModule], useExisting: SharedAuthConfig }));
  });

  it('isGlobal: a feature module uses the guard without importing McpAuthModule', async () => {
    @Controller('feature')
    @UseGuards(BearerAuthGuard)
    class FeatureController {
      @Get()
      read(@AuthInfo('clientId') clientId: string) {
        return { clientId };
      }
    }
    @Module({ controllers: [FeatureController] })
    class FeatureModule {}
    const app = await startApp(adapter, { imports: [McpAuthModule.forRoot({ ...options(), isGlobal: true }), FeatureModule] });
    try {
      expect((await fetch(`${app.url}/feature`)).status).toBe(401);
      const response = await fetch(`${app.url}/feature`, { headers: { authorization: `Bearer ${token}` } });
      expect(await response.json()).toEqual({ clientId: as.devClient.clientId });
    } finally {
      await app.close();
    }
  });

  it('resolves the validated options by token, and the verifier by its abstract class', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [McpAuthModule.forRoot(options())] }).compile();
    const resolved = moduleRef.get<ResolvedMcpAuthOptions>(MCP_AUTH_RESOLVED_OPTIONS);
    expect(resolved.resources[0]!.audiences).toEqual([resource]);
    expect(resolved.jwt.clockToleranceSeconds).toBe(5);
    expect(moduleRef.get(AccessTokenVerifier)).toBeInstanceOf(AccessTokenVerifier);
    await moduleRef.close();
  });

  it('a custom verifier plugs into the same guard, challenges and decorators', async () => {
    @Injectable()
    class StaticTokenVerifier extends AccessTokenVerifier {
      async verify(candidate: string, target: ResolvedProtectedResource) {
        if (candidate !== 'let-me-in') throw new InvalidTokenFailure('Unknown static token');
        const exp = Math.floor(Date.now() / 1000) + 60;
        return authInfoFromClaims(candidate, { iss: as.issuer, sub: 'static', client_id: 'static-client', scope: 'read:notes', exp }, target);
      }
    }
    const app = await startProtectedApp(adapter, McpAuthModule.forRoot({ ...options(), verifier: StaticTokenVerifier }));
    try {
      const ok = await fetch(`${app.url}/mcp`, { headers: { authorization: 'Bearer let-me-in' } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ subject: 'static', clientId: 'static-client' });
      const refused = await fetch(`${app.url}/mcp`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(401);
      expect(parseBearerChallenge(refused.headers.get('www-authenticate')).params.error).toBe('invalid_token');
    } finally {
      await app.close();
    }
  });
});

describe('invalid options', () => {
  it('fail bootstrap with one message naming every bad field', async () => {
    const error = await Test.createTestingModule({
      imports: [
        McpAuthModule.forRoot({
          protectedResources: [
            { resource: 'not a url', authorizationServers: [] },
            { resource: 'https://api.example.com/mcp#frag', authorizationServers: ['https://as.example.com'], scopesSupported: [''] },
          ],
          jwt: { clockToleranceSeconds: -1, typ: 'loose' as never },
          showErrorDetails: 'yes' as never,
        }),
      ],
    })
      .compile()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(McpAuthOptionsError);
    const message = (error as Error).message;
    for (const field of [
      'protectedResources[0].resource',
      'protectedResources[0].authorizationServers',
      'protectedResources[1].resource',
      'protectedResources[1].scopesSupported',
      'jwt.clockToleranceSeconds',
      'jwt.typ',
      'showErrorDetails',
    ]) {
      expect(message).toContain(`${field}:`);
    }
  });

  it('refuse symmetric algorithms and none (T5)', async () => {
    const error = await Test.createTestingModule({
      imports: [
        McpAuthModule.forRoot({
          protectedResources: [{ resource, authorizationServers: ['https://as.example.com'] }],
          jwt: { algorithms: ['RS256', 'HS256', 'none'] },
        }),
      ],
    })
      .compile()
      .catch((thrown: Error) => thrown);
    expect((error as Error).message).toContain('jwt.algorithms: "HS256" is not allowed');
    expect((error as Error).message).toContain('jwt.algorithms: "none" is not allowed');
  });
});
