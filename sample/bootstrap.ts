import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

import { protectedResourceMetadataUrl } from '../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from './auth-server/dev-authorization-server.js';
import { AppModule } from './app.module.js';
import { mcpCorsOptions } from './mcp/mcp-cors.js';
import { holdPort } from './port-holder.js';
import {
  allowedOriginHostnames,
  DEFAULT_MCP_DPOP,
  DEFAULT_MCP_SDK,
  NOTES_SCOPES,
  resourceIdentifiers,
  type McpSdk,
  type SampleDpopMode,
  type SampleEnvironment,
  type SampleSettings,
} from './sample.config.js';

/** How to start the sample: the environment settings (ports may be 0) plus the HTTP adapter and logger. */
export interface SampleOptions extends Partial<SampleEnvironment> {
  /** Default `express`. */
  adapter?: 'express' | 'fastify';
  /** Nest logger setting; default Nest's own. */
  logger?: LoggerService | LogLevel[] | false;
  /** Lifetime of the embedded authorization server's access tokens; default 3600. Tests shorten it to exercise refresh. */
  accessTokenTtlSeconds?: number;
}

/** The running sample. */
export interface RunningSample {
  app: INestApplication;
  adapter: 'express' | 'fastify';
  /** The MCP TypeScript SDK whose server answers `/mcp`. */
  mcpSdk: McpSdk;
  /** The DPoP mode of `/mcp`. */
  mcpDpop: SampleDpopMode;
  /** Where the app listens, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The MCP endpoint clients connect to: the MCP resource identifier. */
  mcpUrl: string;
  /** The REST endpoint: the notes resource identifier. */
  notesUrl: string;
  /** The RFC 9728 metadata URLs of both resources. */
  metadataUrls: { mcp: string; notes: string };
  /** The trusted issuer. */
  issuer: string;
  /** The embedded development authorization server; absent with `MCP_AUTH_ISSUER`. */
  authorizationServer?: DevAuthorizationServer;
  /** Its confidential client, allowed `client_credentials`; absent with `MCP_AUTH_ISSUER`. */
  devClient?: { clientId: string; clientSecret: string };
  /** Stops the app and the embedded authorization server. */
  close(): Promise<void>;
}

/**
 * Starts the whole sample: the embedded development authorization server (unless an external issuer
 * is given), then the Nest application on either adapter. Port 0 picks free ports.
 *
 * The resource identifiers contain the app's port, and the authorization server must know them before
 * the app starts (the app discovers it at bootstrap), so the app's port is taken first and held, answering
 * `503` + `Retry-After` (see {@link holdPort}), until the app is initialised. Between the handover and the
 * app's `listen()`, a moment without a listener, a connection is refused: never left hanging.
 */
export async function bootstrapSample(options: SampleOptions = {}): Promise<RunningSample> {
  const adapter = options.adapter ?? 'express';
  const environment: SampleEnvironment = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 3000,
    authPort: options.authPort ?? 3001,
    issuer: options.issuer,
    mcpResource: options.mcpResource,
    notesResource: options.notesResource,
    mcpSdk: options.mcpSdk ?? DEFAULT_MCP_SDK,
    mcpDpop: options.mcpDpop ?? DEFAULT_MCP_DPOP,
  };
  const heldPort = await holdPort(environment.host, environment.port);
  const { mcpResource, notesResource } = resourceIdentifiers(environment, heldPort.port);

  let authorizationServer: DevAuthorizationServer | undefined;
  let app: INestApplication | undefined;
  try {
    let issuer = environment.issuer;
    if (issuer === undefined) {
      authorizationServer = await startDevAuthorizationServer({
        port: environment.authPort,
        accessTokenTtlSeconds: options.accessTokenTtlSeconds,
        resources: [
          { identifier: mcpResource, scopes: [...NOTES_SCOPES] },
          { identifier: notesResource, scopes: [...NOTES_SCOPES] },
        ],
      });
      issuer = authorizationServer.issuer;
    }
    const settings: SampleSettings = {
      issuer,
      mcpResource,
      notesResource,
      allowedOriginHostnames: allowedOriginHostnames(mcpResource, notesResource),
      mcpSdk: environment.mcpSdk,
      mcpDpop: environment.mcpDpop,
    };

    const nestApp = await NestFactory.create<INestApplication>(
      AppModule.forRoot(settings, authorizationServer),
      adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(),
      // forceCloseConnections: stopping (Ctrl+C, SIGTERM) must not wait for a client's open connection.
      { logger: options.logger, abortOnError: false, forceCloseConnections: true },
    );
    app = nestApp;
    // Browser MCP clients (the MCP Inspector) call /mcp from their own origin.
    nestApp.enableCors(mcpCorsOptions(settings.allowedOriginHostnames));
    // Everything but the listening happens while the port still answers 503, so the handover is short.
    await nestApp.init();
    await heldPort.release();
    await nestApp.listen(heldPort.port, environment.host);

    return {
      app: nestApp,
      adapter,
      mcpSdk: environment.mcpSdk,
      mcpDpop: environment.mcpDpop,
      url: originOf(environment.host, heldPort.port),
      mcpUrl: mcpResource,
      notesUrl: notesResource,
      metadataUrls: { mcp: protectedResourceMetadataUrl(mcpResource), notes: protectedResourceMetadataUrl(notesResource) },
      issuer,
      authorizationServer,
      devClient: authorizationServer?.devClient,
      // The authorization server is closed by the app's shutdown hook (AuthorizationServerShutdown).
      close: () => nestApp.close(),
    };
  } catch (error) {
    await heldPort.release();
    await app?.close();
    await authorizationServer?.close();
    throw error;
  }
}

function originOf(host: string, port: number): string {
  // A wildcard address is not something to connect to; loopback is.
  const hostname = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;
}
