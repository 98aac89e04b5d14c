import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BenchChild } from './child-process.js';
import { CHILD_SCRIPTS } from './paths.js';
import type { ServerCommand, ServerConfig, ServerMessage } from './protocol.js';
import type { RouteRequest } from './route-request.js';
import { ROUTES, type RouteName } from './variants.js';

type ReadyMessage = Extract<ServerMessage, { type: 'ready' }>;

/** The benchmark app running in its own process, as seen from the load generator. */
export class BenchServer {
  private constructor(
    private readonly child: BenchChild<ServerMessage, ServerCommand>,
    readonly ready: ReadyMessage,
    /** `performance.now()` in this process just before the fork, and when the child said it listens. */
    readonly spawnedAtMs: number,
    readonly readyAtMs: number,
  ) {}

  static async start(config: ServerConfig): Promise<BenchServer> {
    const spawnedAtMs = performance.now();
    const child = BenchChild.start<ServerMessage, ServerCommand>('bench server', CHILD_SCRIPTS.server, {
      BENCH_SERVER_CONFIG: JSON.stringify(config),
    });
    try {
      const ready = await child.next('ready', 120_000);
      return new BenchServer(child, ready, spawnedAtMs, performance.now());
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  url(route: RouteName): string {
    return `http://127.0.0.1:${this.ready.port}${ROUTES[route]}`;
  }

  /** Runs `load` while the server records a CPU profile into `file`. */
  async profile<T>(file: string, load: () => Promise<T>): Promise<T> {
    this.child.send({ type: 'profile-start' });
    await this.child.next('profile-started');
    const result = await load();
    this.child.send({ type: 'profile-stop', file });
    await this.child.next('profile-stopped');
    return result;
  }

  /**
   * Runs `load` and adds the server's CPU time per response: user + system time of the whole server
   * process (event loop, libuv threads, GC) over the responses it sent. Other processes on the machine
   * steal wall-clock time and so throughput, but hardly the CPU time a request costs.
   */
  async measureCpu<T extends { responses: number }>(
    load: () => Promise<T>,
  ): Promise<T & { serverCpuMicrosPerRequest: number; verifiedTokenCacheEntries?: { before: number; after: number } }> {
    const before = await this.usage();
    const result = await load();
    const after = await this.usage();
    const cache = before.verifiedTokenCacheEntries;
    return {
      ...result,
      serverCpuMicrosPerRequest: result.responses > 0 ? (after.micros - before.micros) / result.responses : Number.NaN,
      ...(cache === undefined ? {} : { verifiedTokenCacheEntries: { before: cache, after: after.verifiedTokenCacheEntries ?? cache } }),
    };
  }

  /** The server's CPU time so far, and the size of our verified-token cache when it is mounted. */
  private async usage(): Promise<{ micros: number; verifiedTokenCacheEntries?: number }> {
    this.child.send({ type: 'cpu-usage' });
    return this.child.next('cpu-usage');
  }

  async stop(): Promise<void> {
    this.child.send({ type: 'shutdown' });
    await this.child.exit();
  }

  kill(): void {
    this.child.kill();
  }
}

/** One GET on a fresh connection; resolves with the status and the time to the end of the response. */
export function getOnce(url: string, token?: string): Promise<{ status: number; ms: number }> {
  return getOnceWithHeaders(url, token === undefined ? {} : { authorization: `Bearer ${token}` });
}

/** {@link getOnce} with whatever headers, e.g. a DPoP-bound token and its proof. */
export function getOnceWithHeaders(url: string, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  return requestOnce(url, { method: 'GET', headers });
}

/** One request on a fresh connection; resolves with the status, the body and the time to the end of the response. */
export function requestOnce(url: string, { method, headers, body }: RouteRequest): Promise<{ status: number; ms: number; body: string }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const req = request(url, { method, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - startedAt, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
