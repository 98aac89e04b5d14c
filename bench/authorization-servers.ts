import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../sample/auth-server/dev-authorization-server.js';
import { BENCH_SCOPE } from './protocol.js';
import { createSigningKey, type TestSigningKey } from './tokens.js';

export interface BenchAuthorizationServer {
  name: 'rs256' | 'es256';
  issuer: string;
  /** The run's private key; the server publishes its public half in its JWKS. */
  key: TestSigningKey;
  /** Path of the JWKS, from the server's own metadata. */
  jwksPath: string;
  devServer: DevAuthorizationServer;
}

/**
 * The two real development authorization servers of a run (one signs RS256, one ES256: each publishes
 * exactly one key) and a count of every request they receive, taken at the servers themselves through
 * Node's `http.server.request.start` diagnostics channel.
 */
export class BenchAuthorizationServers {
  private readonly counts = new Map<string, number>();
  private readonly byPort = new Map<number, string>();
  private readonly onRequest = (message: unknown): void => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    const address = server.address() as AddressInfo | null;
    const name = address && this.byPort.get(address.port);
    if (!name) return;
    const path = (request.url ?? '/').split('?')[0];
    const key = `${name} ${path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  };

  private constructor(
    readonly rs: BenchAuthorizationServer,
    readonly es: BenchAuthorizationServer,
  ) {}

  static async start(resource: string): Promise<BenchAuthorizationServers> {
    const servers: BenchAuthorizationServer[] = [];
    try {
      for (const [name, alg] of [
        ['rs256', 'RS256'],
        ['es256', 'ES256'],
      ] as const) {
        const key = await createSigningKey(alg, `bench-${alg}`);
        const devServer = await startDevAuthorizationServer({
          port: 0,
          resources: [{ identifier: resource, scopes: [BENCH_SCOPE] }],
          signingJwk: key.privateJwk,
        });
        servers.push({ name, issuer: devServer.issuer, key, devServer, jwksPath: '' });
      }
    } catch (error) {
      await Promise.all(servers.map((server) => server.devServer.close()));
      throw error;
    }
    const [rs, es] = servers as [BenchAuthorizationServer, BenchAuthorizationServer];
    const authorizationServers = new BenchAuthorizationServers(rs, es);
    for (const server of servers) {
      const metadata = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
      server.jwksPath = new URL(metadata.jwks_uri).pathname;
      authorizationServers.byPort.set(Number(new URL(server.issuer).port), server.name);
    }
    subscribe('http.server.request.start', authorizationServers.onRequest);
    return authorizationServers;
  }

  /** JWKS requests received so far by both servers. */
  jwksRequests(): number {
    return [this.rs, this.es].reduce((sum, server) => sum + (this.counts.get(`${server.name} ${server.jwksPath}`) ?? 0), 0);
  }

  async close(): Promise<void> {
    unsubscribe('http.server.request.start', this.onRequest);
    await Promise.all([this.rs.devServer.close(), this.es.devServer.close()]);
  }
}
