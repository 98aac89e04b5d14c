import { Controller, Get, Module, UseGuards, VersioningType, type INestApplication, type Type } from '@nestjs/common';
import { APP_GUARD, RouterModule } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthInfo,
  BearerAuthGuard,
  McpAuthModule,
  ProtectedResource,
  UnresolvedProtectedResourceError,
  type McpAuthModuleOptions,
} from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, type AdapterName } from '../fixtures/http-app.js';

// Every route guarded by BearerAuthGuard is resolved to its protected resource when the application
// initialises: one that fits none fails app.init() (it could only ever answer 500), and the resolution made
// then is the one each request uses.

const MCP = 'http://127.0.0.1/mcp';
const NOTES = 'http://127.0.0.1/notes';
const API_MCP = 'http://127.0.0.1/api/mcp';
const API_NOTES = 'http://127.0.0.1/api/notes';
const V1_NOTES = 'http://127.0.0.1/v1/notes';
const TENANT = 'http://127.0.0.1/tenant';
const ARCHIVE = 'http://127.0.0.1/notes/archive';
const ALL = [MCP, NOTES, API_MCP, API_NOTES, V1_NOTES, TENANT, ARCHIVE];

/** Which resource the guard verified the token for, as the handler sees it. */
const seen = (auth: AuthInfo) => ({ resource: auth.resource?.href });

@Controller('mcp')
@UseGuards(BearerAuthGuard)
class McpController {
  @Get()
  read(@AuthInfo() auth: AuthInfo) {
    return seen(auth);
  }
}

@Controller('notes')
@UseGuards(BearerAuthGuard)
class NotesController {
  @Get(':id')
  one(@AuthInfo() auth: AuthInfo) {
    return seen(auth);
  }
}

@Controller('reports')
class ReportsController {
  @Get()
  @UseGuards(BearerAuthGuard)
  list(@AuthInfo() auth: AuthInfo) {
    return seen(auth);
  }

  @Get('open')
  open() {
    return { open: true };
  }
}

class AuditedGuard extends BearerAuthGuard {}

@Controller('audit')
@UseGuards(AuditedGuard)
class AuditController {
  @Get('log')
  log(@AuthInfo() auth: AuthInfo) {
    return seen(auth);
  }
}

@Controller('reports')
@UseGuards(BearerAuthGuard)
@ProtectedResource(NOTES)
class DeclaredReportsController {
  @Get()
  list(@AuthInfo() auth: AuthInfo) {
    return seen(auth);
  }
}

@Controller('elsewhere')
@UseGuards(BearerAuthGuard)
class UnknownResourceController {
  @Get()
  @ProtectedResource('http://127.0.0.1/unknown')
  read() {
    return {};
  }
}

@Controller('open')
@ProtectedResource('http://127.0.0.1/typo')
class UnguardedTypoController {
  @Get()
  read() {
    return {};
  }
}

@Controller(['mcp/both', 'notes/both'])
@UseGuards(BearerAuthGuard)
class BothPathsController {
  @Get()
  read(@AuthInfo() auth: AuthInfo) {
    return seen(auth);
  }
}

@Controller({ path: 'notes', version: '1' })
@UseGuards(BearerAuthGuard)
class VersionedNotesController {
  @Get()
  list(@AuthInfo() auth: AuthInfo) {
    return seen(auth);
  }
}

@Controller('health')
class HealthController {
  @Get()
  health() {
    return { ok: true };
  }
}

@Controller('notes')
class TenantNotesController {
  @Get()
  @UseGuards(BearerAuthGuard)
  list(@AuthInfo() auth: AuthInfo) {
    return seen(auth);
  }
}

interface Scenario {
  resources: string[];
  controllers: Type[];
  configure?: (app: INestApplication) => void;
  providers?: unknown[];
  /** Extra modules of the application (RouterModule and its targets). */
  imports?: unknown[];
}

describe.each(ADAPTERS)('route resources resolved at bootstrap (%s)', (adapter: AdapterName) => {
  let as: DevAuthorizationServer;
  const running: INestApplication[] = [];

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: ALL.map((identifier) => ({ identifier, scopes: ['read:notes'] })) });
  });

  afterAll(async () => {
    for (const app of running) await app.close();
    await as?.close();
  });

  const options = (resources: string[]): McpAuthModuleOptions => ({
    protectedResources: resources.map((resource) => ({ resource, authorizationServers: [as.issuer] })),
  });

  /** Compiles the scenario's application and initialises it: what `app.listen()` does first. */
  async function create(scenario: Scenario): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      // Global, so that a RouterModule target module's guarded routes have the guard too.
      imports: [McpAuthModule.forRoot({ ...options(scenario.resources), isGlobal: true }), ...((scenario.imports ?? []) as never[])],
      controllers: scenario.controllers,
      providers: (scenario.providers ?? []) as never[],
    }).compile();
    const app = moduleRef.createNestApplication(adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    running.push(app);
    scenario.configure?.(app);
    return app;
  }

  async function start(scenario: Scenario): Promise<string> {
    const app = await create(scenario);
    await app.init();
    if (adapter === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<void> }).ready();
    await app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${(app.getHttpServer() as { address(): { port: number } }).address().port}`;
  }

  async function initFailure(scenario: Scenario): Promise<UnresolvedProtectedResourceError> {
    const app = await create(scenario);
    const error = await app.init().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(UnresolvedProtectedResourceError);
    return error as UnresolvedProtectedResourceError;
  }

  /** The resource a valid token for `resource` is accepted for at `url` (the handler reports it). */
  async function acceptedFor(url: string, resource: string): Promise<unknown> {
    const { access_token } = await clientCredentialsToken(as, { resource, scope: 'read:notes' });
    const { status, body } = await callWithToken(url, access_token);
    expect(status).toBe(200);
    return body.resource;
  }

  /** The resource whose metadata a tokenless request is sent to discover. */
  async function challengedFor(url: string): Promise<string | undefined> {
    const { status, challenge } = await callWithToken(url);
    expect(status).toBe(401);
    return challenge?.params['resource_metadata'];
  }

  describe('a guarded route that fits no resource fails app.init()', () => {
    it('naming the controller, the handler, the path, the configured resources and what to do', async () => {
      const error = await initFailure({ resources: [MCP, NOTES], controllers: [McpController, ReportsController] });
      expect(error.code).toBe('MCP_AUTH_UNRESOLVED_RESOURCE');
      expect(error.message).toBe(
        'Cannot tell which protected resource this route belongs to:\n' +
          "  - ReportsController.list (GET /reports): no configured resource identifier's path is a prefix of its path\n" +
          `Configured resources: ${MCP}, ${NOTES}.\n` +
          'Name the resource with @ProtectedResource(<one of the identifiers above>) on the controller or the handler, ' +
          "or serve the route under a resource identifier's path.",
      );
      expect(error.routes).toEqual([{ route: 'ReportsController.list', paths: ['GET /reports'], declared: undefined }]);
      expect(error.configured).toEqual([MCP, NOTES]);
    });

    it('lists every such route at once, subclasses of the guard included', async () => {
      const error = await initFailure({ resources: [MCP, NOTES], controllers: [ReportsController, AuditController] });
      expect(error.message).toMatch(/^Cannot tell which protected resource these 2 routes belong to:\n/);
      expect(error.routes.map(({ route, paths }) => [route, paths])).toEqual([
        ['ReportsController.list', ['GET /reports']],
        ['AuditController.log', ['GET /audit/log']],
      ]);
    });

    it('a @ProtectedResource() that names a resource not configured fails too, even with a single resource', async () => {
      const error = await initFailure({ resources: [MCP], controllers: [UnknownResourceController] });
      expect(error.message).toContain(
        '  - UnknownResourceController.read (GET /elsewhere): @ProtectedResource("http://127.0.0.1/unknown") names a resource that is not configured\n',
      );
    });

    it('… and on a route without the guard (a global guard would read it)', async () => {
      const error = await initFailure({ resources: [MCP], controllers: [McpController, UnguardedTypoController] });
      expect(error.routes).toEqual([{ route: 'UnguardedTypoController.read', paths: ['GET /open'], declared: 'http://127.0.0.1/typo' }]);
    });

    it('the global prefix is part of the path: /api/reports fits none of /api/mcp, /api/notes', async () => {
      const error = await initFailure({ resources: [API_MCP, API_NOTES], controllers: [ReportsController], configure: (app) => app.setGlobalPrefix('api') });
      expect(error.routes.map(({ paths }) => paths)).toEqual([['GET /api/reports']]);
    });

    it('without the global prefix, /mcp fits neither /api/mcp nor /api/notes', async () => {
      const error = await initFailure({ resources: [API_MCP, API_NOTES], controllers: [McpController] });
      expect(error.routes.map(({ paths }) => paths)).toEqual([['GET /mcp']]);
    });
  });

  describe('well-configured applications with several resources', () => {
    it('path prefixes, route parameters and @ProtectedResource(): each route gets its resource', async () => {
      const url = await start({ resources: [MCP, NOTES], controllers: [McpController, NotesController, DeclaredReportsController] });
      expect(await acceptedFor(`${url}/mcp`, MCP)).toBe(MCP);
      expect(await acceptedFor(`${url}/notes/42`, NOTES)).toBe(NOTES);
      expect(await acceptedFor(`${url}/reports`, NOTES)).toBe(NOTES);
      expect(await challengedFor(`${url}/mcp`)).toBe(`${url.replace(/:\d+$/, '')}/.well-known/oauth-protected-resource/mcp`);
      expect(await challengedFor(`${url}/reports`)).toBe(`${url.replace(/:\d+$/, '')}/.well-known/oauth-protected-resource/notes`);
      // A token for the other resource is refused: the route's resource is the one verified against.
      const { access_token } = await clientCredentialsToken(as, { resource: MCP, scope: 'read:notes' });
      expect((await callWithToken(`${url}/notes/42`, access_token)).status).toBe(401);
    });

    it('the route decides, not the request path: /notes/archive served by GET /notes/:id is for /notes', async () => {
      const url = await start({ resources: [NOTES, ARCHIVE], controllers: [NotesController] });
      expect(await acceptedFor(`${url}/notes/archive`, NOTES)).toBe(NOTES);
      const { access_token } = await clientCredentialsToken(as, { resource: ARCHIVE, scope: 'read:notes' });
      expect((await callWithToken(`${url}/notes/archive`, access_token)).status).toBe(401);
    });

    it('with a global prefix, and a route excluded from it', async () => {
      const url = await start({
        resources: [MCP, API_NOTES],
        controllers: [McpController, NotesController],
        configure: (app) => app.setGlobalPrefix('api', { exclude: ['mcp'] }),
      });
      expect(await acceptedFor(`${url}/mcp`, MCP)).toBe(MCP);
      expect(await acceptedFor(`${url}/api/notes/7`, API_NOTES)).toBe(API_NOTES);
    });

    it('with URI versioning', async () => {
      const url = await start({
        resources: [MCP, V1_NOTES],
        controllers: [McpController, VersionedNotesController],
        configure: (app) => app.enableVersioning({ type: VersioningType.URI }),
      });
      expect(await acceptedFor(`${url}/v1/notes`, V1_NOTES)).toBe(V1_NOTES);
      expect(await acceptedFor(`${url}/mcp`, MCP)).toBe(MCP);
    });

    it('with a RouterModule path', async () => {
      @Module({ controllers: [TenantNotesController] })
      class TenantModule {}
      const url = await start({
        resources: [MCP, TENANT],
        controllers: [McpController],
        imports: [TenantModule, RouterModule.register([{ path: 'tenant', module: TenantModule }])],
      });
      expect(await acceptedFor(`${url}/tenant/notes`, TENANT)).toBe(TENANT);
    });

    it('a handler served under two resources\' paths gets the resource of the path it was called on', async () => {
      const url = await start({ resources: [MCP, NOTES], controllers: [BothPathsController] });
      expect(await acceptedFor(`${url}/mcp/both`, MCP)).toBe(MCP);
      expect(await acceptedFor(`${url}/notes/both`, NOTES)).toBe(NOTES);
    });
  });

  describe('a global guard (APP_GUARD)', () => {
    it('starts even when a route fits no resource (the guard may let it through); that route answers 500', async () => {
      const url = await start({
        resources: [MCP, NOTES],
        controllers: [McpController, HealthController],
        providers: [{ provide: APP_GUARD, useExisting: BearerAuthGuard }],
      });
      expect(await acceptedFor(`${url}/mcp`, MCP)).toBe(MCP);
      const { status, body } = await callWithToken(`${url}/health`);
      expect(status).toBe(500);
      expect(JSON.stringify(body)).not.toContain('ProtectedResource');
    });
  });
});

describe('an application context (no HTTP adapter)', () => {
  it('serves no routes, so none is resolved and none fails init()', async () => {
    const as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: MCP, scopes: ['read:notes'] }] });
    try {
      const moduleRef = await Test.createTestingModule({
        imports: [McpAuthModule.forRoot({ protectedResources: [MCP, NOTES].map((resource) => ({ resource, authorizationServers: [as.issuer] })) })],
        controllers: [ReportsController],
      }).compile();
      await moduleRef.init();
      await moduleRef.close();
    } finally {
      await as.close();
    }
  });
});
