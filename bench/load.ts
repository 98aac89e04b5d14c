import autocannon from 'autocannon';
import type { RouteRequest } from './route-request.js';
import { percentileOfSorted } from './stats.js';

export interface LoadOptions {
  url: string;
  /** What every request is besides its credentials: a GET, or the MCP routes' POST of a `tools/call`. */
  request: RouteRequest;
  connections: number;
  durationSeconds: number;
  /** The bearer token of the next request; called once per request (autocannon's per-request setup). */
  nextToken: () => string;
  /**
   * With a DPoP-bound token: the proof of the next request, called once per request as well. The token then
   * goes as `Authorization: DPoP <token>` with the proof in the `DPoP` header (RFC 9449 §7.1).
   */
  nextProof?: () => string;
}

export interface LoadResult {
  /** Mean of autocannon's per-second request counts. */
  requestsPerSecond: number;
  /** Latency percentiles of the 2xx responses, in ms, from our own full-resolution record. */
  p50Ms: number;
  p99Ms: number;
  /** Responses received, and how many requests were built (tokens handed out). */
  responses: number;
  requestsBuilt: number;
  non2xx: number;
  errors: number;
  /** The server process's CPU time per response, in µs, when measured (see `BenchServer.measureCpu`). */
  serverCpuMicrosPerRequest?: number;
  /** Our verified-token cache's size before and after the measurement, when our guard is mounted. */
  verifiedTokenCacheEntries?: { before: number; after: number };
}

/**
 * Drives `url` for a fixed time with a fixed number of connections. Every request goes through
 * `setupRequest`, reused token or not, so that every variant costs the load generator the same.
 * autocannon's own latency histogram has 1 ms resolution; latencies are recorded here as well, from the
 * per-response event, to report sub-millisecond percentiles.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let requestsBuilt = 0;
  const latencies: number[] = [];
  const { request, nextToken, nextProof } = options;
  const credentials: () => Record<string, string> = nextProof
    ? () => ({ authorization: `DPoP ${nextToken()}`, dpop: nextProof() })
    : () => ({ authorization: `Bearer ${nextToken()}` });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        pipelining: 1,
        requests: [
          {
            method: request.method,
            headers: request.headers,
            ...(request.body === undefined ? {} : { body: request.body }),
            setupRequest: (built) => {
              requestsBuilt++;
              return { ...built, headers: { ...built.headers, ...credentials() } };
            },
          },
        ],
      },
      (error: unknown, done) => (error ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error })) : resolve(done)),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: percentileOfSorted(sorted, 50),
    p99Ms: percentileOfSorted(sorted, 99),
    responses: result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'],
    requestsBuilt,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
