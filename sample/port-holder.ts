import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The app's port, bound while the sample starts; `release()` hands it over (safe to call more than once). */
export interface HeldPort {
  /** The bound port: the one asked for, or the free one picked for 0. */
  port: number;
  /** Stops listening and closes every open connection; resolves once the port is free. */
  release(): Promise<void>;
}

/** How long a client told "starting" should wait before it asks again (the sample starts in about a second). */
const RETRY_AFTER_SECONDS = 1;

/**
 * Binds `port` (0 picks a free one) until the app is ready to listen on it.
 *
 * The resource identifiers contain the port, and the authorization server must know them before the app
 * starts, so the port is taken first. Whoever connects meanwhile (a health check, a curl loop, an MCP client
 * retrying) gets an immediate `503` with `Retry-After` and the connection closed, never silence: a request
 * left unanswered would keep its connection open, and an open connection would keep the port from being
 * handed over. At the handover the listener closes (a new connection is refused until the app listens) and
 * so does every connection still open: one accepted but whose request has not arrived yet is closed
 * unanswered, which its client sees as a reset, as immediate as a refusal. None is left waiting.
 */
export async function holdPort(host: string, port: number): Promise<HeldPort> {
  const server = createServer((_request, response) => answerStarting(response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  let released: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    release: () =>
      (released ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function answerStarting(response: ServerResponse): void {
  response
    .writeHead(503, {
      'Retry-After': String(RETRY_AFTER_SECONDS),
      Connection: 'close',
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    })
    .end('The notes MCP server is starting; retry in a second.\n');
}
