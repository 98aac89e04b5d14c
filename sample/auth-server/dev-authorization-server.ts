import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JWK } from 'jose';
import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';

import { handleInteractionRoute } from './interaction-routes.js';
import { loadOidcProvider } from './load-oidc-provider.js';
import { buildProviderConfiguration } from './provider-configuration.js';
import { handleRegistrationCors, REGISTRATION_PATH } from './registration-cors.js';
import { generateSigningJwk } from './signing-keys.js';

/** A protected resource (RFC 8707 resource indicator) and the scopes it defines. */
export interface DevResource {
  identifier: string;
  scopes: string[];
  /** `jwt` (default): RFC 9068 JWTs; `opaque`: random strings that resource servers introspect (RFC 7662). */
  accessTokenFormat?: 'jwt' | 'opaque';
}

export interface DevAuthorizationServerOptions {
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** 0 picks a free port; the issuer then carries the real one. */
  port: number;
  /** The first one is the default audience when a request names no `resource`. */
  resources: DevResource[];
  /** Default 3600. */
  accessTokenTtlSeconds?: number;
  /** Default RS256. The key is generated at start and lives only in memory. */
  signingAlgorithm?: 'RS256' | 'ES256';
  /** Defaults: 'dev-client' and a random secret. */
  devClient?: { clientId?: string; clientSecret?: string };
  /**
   * Sign with this private JWK (with `kid` and `alg`) instead of a generated one. Tests use it to craft
   * hostile tokens signed by the very key this real server publishes.
   */
  signingJwk?: JWK;
  /**
   * Enable RFC 7662 introspection (for confidential clients, such as a resource server registered in
   * `clients`) and RFC 7009 revocation of a client's own tokens. Default false.
   */
  introspection?: boolean;
  /** More clients to register, e.g. a resource server that authenticates with `private_key_jwt`. */
  clients?: ClientMetadata[];
  /**
   * Require a server-issued `DPoP-Nonce` in the DPoP proofs of token requests (RFC 9449 §8). Default false.
   * DPoP itself is always on: a token request with a `DPoP` proof gets a DPoP-bound token, one without a Bearer token.
   */
  dpopNonce?: boolean;
}

export interface DevAuthorizationServer {
  /** 'http://<host>:<port>', no trailing slash. */
  issuer: string;
  /** Confidential client allowed client_credentials (and the authorization code grant on loopback). */
  devClient: { clientId: string; clientSecret: string };
  /** Stops listening and drops open connections; safe to call more than once. */
  close(): Promise<void>;
}

const OIDC_DISCOVERY_PATH = '/.well-known/openid-configuration';
const OAUTH_DISCOVERY_PATH = '/.well-known/oauth-authorization-server';

/**
 * Starts an OAuth 2.1 authorization server for development and tests (oidc-provider on node:http):
 * discovery (OIDC and RFC 8414), JWKS, open dynamic registration, authorization code + PKCE with a
 * scriptable dev login, client_credentials, refresh tokens, RFC 8707 resource indicators that
 * yield RFC 9068 JWT access tokens, and RFC 9449 DPoP-bound tokens for clients that send a proof.
 */
export async function startDevAuthorizationServer(
  options: DevAuthorizationServerOptions,
): Promise<DevAuthorizationServer> {
  if (options.resources.length === 0) {
    throw new Error('startDevAuthorizationServer needs at least one resource');
  }
  const host = options.host ?? '127.0.0.1';
  const signingAlgorithm = (options.signingJwk?.alg as 'RS256' | 'ES256' | undefined) ?? options.signingAlgorithm ?? 'RS256';
  const devClient = {
    clientId: options.devClient?.clientId ?? 'dev-client',
    clientSecret: options.devClient?.clientSecret ?? randomBytes(24).toString('base64url'),
  };
  const [oidcProvider, signingJwk] = await Promise.all([
    loadOidcProvider(),
    options.signingJwk ? Promise.resolve(options.signingJwk) : generateSigningJwk(signingAlgorithm),
  ]);

  // The issuer must contain the bound port, which is only known after listen() when port is 0,
  // so the server starts with a placeholder handler and the provider is created afterwards.
  const state: { ready?: { provider: Provider; callback: (req: IncomingMessage, res: ServerResponse) => unknown } } = {};
  const server = createServer((req, res) => {
    if (state.ready === undefined) {
      res.writeHead(503).end();
      return;
    }
    void dispatch(state.ready.provider, state.ready.callback, req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let provider: Provider;
  try {
    provider = new oidcProvider.Provider(
      issuer,
      buildProviderConfiguration({
        resources: options.resources,
        accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
        signingAlgorithm,
        signingJwk,
        devClient,
        introspection: options.introspection ?? false,
        extraClients: options.clients ?? [],
        dpopNonce: options.dpopNonce ?? false,
        errors: oidcProvider.errors,
      }),
    );
  } catch (error) {
    server.close();
    throw error;
  }
  // Expected OAuth errors are answered to the client and not reported; only genuine server
  // faults are worth a line on stderr.
  provider.on('server_error', (_ctx, error) => {
    console.error(`dev authorization server: ${error.stack ?? error.message}`);
  });
  state.ready = { provider, callback: provider.callback() };

  let closing: Promise<void> | undefined;
  return {
    issuer,
    devClient,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets (fetch keeps them) would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function dispatch(
  provider: Provider,
  providerCallback: (req: IncomingMessage, res: ServerResponse) => unknown,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (await handleInteractionRoute(provider, req, res)) return;

    // oidc-provider only serves OIDC discovery. RFC 8414 metadata for an issuer without a path
    // lives at /.well-known/oauth-authorization-server and is the same document, so that request
    // is answered by the OIDC route itself: one source of truth, identical JSON.
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === OAUTH_DISCOVERY_PATH) {
      req.url = `${OIDC_DISCOVERY_PATH}${url.search}`;
    }
    if (url.pathname === REGISTRATION_PATH && handleRegistrationCors(req, res)) return;
    await providerCallback(req, res);
  } catch (error) {
    console.error(`dev authorization server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  }
}
