import type { BenchAdapter, RouteName } from './variants.js';

/** The resource every route protects; the audience of every token. A name, never resolved. */
export const BENCH_RESOURCE = 'https://mcp.bench.test/mcp';

/**
 * The resource of the DPoP route, a second one on the same origin so that the others keep the library default
 * (`dpop: 'off'`). Its identifier is the route's URL: the `htu` every proof names (the guard builds it from this
 * origin and the request path, never from `Host`).
 */
export const BENCH_DPOP_RESOURCE = 'https://mcp.bench.test/dpop/mcp';

/** The scope every protected route requires; every valid bench token carries it. */
export const BENCH_SCOPE = 'read:notes';

/** The one JSON body every route answers with, so all variants send the same bytes back. */
export const RESPONSE_BODY = { ok: true } as const;

/** The one tool of the MCP routes' server, and the text it answers with (what the preflight looks for). */
export const BENCH_MCP_TOOL = { name: 'ping', text: 'pong' } as const;

/** What the server child needs to build the app, passed as JSON in BENCH_SERVER_CONFIG. */
export interface ServerConfig {
  resource: string;
  /** Issuer of the RS256 dev authorization server (the one the peers trust). */
  rsIssuer: string;
  /** Issuer of the ES256 dev authorization server (trusted by our guard as well). */
  esIssuer: string;
  /** The routes to mount; the bootstrap measurement mounts only one. */
  routes: RouteName[];
  /** The HTTP platform of the app (Express when absent). */
  adapter?: BenchAdapter;
}

/** Messages from the server child. */
export type ServerMessage =
  | {
      type: 'ready';
      port: number;
      /** `performance.now()` in the child when main() began (module graph loaded) and when it listened. */
      mainStartedAtMs: number;
      listeningAtMs: number;
      /** The verified-token cache size of the module, when our guard is mounted. */
      cacheMaxEntries?: number;
    }
  | { type: 'profile-started' }
  | { type: 'profile-stopped' }
  /** `process.cpuUsage()` of the server process (all its threads), in µs; the verified-token cache size when ours is mounted. */
  | { type: 'cpu-usage'; micros: number; verifiedTokenCacheEntries?: number }
  | { type: 'error'; message: string };

/** Messages to the server child. */
export type ServerCommand = { type: 'profile-start' } | { type: 'profile-stop'; file: string } | { type: 'cpu-usage' } | { type: 'shutdown' };

/** The signing material a verifier child needs (a throw-away key generated for this run). */
export interface KeyFile {
  issuer: string;
  privateJwk: Record<string, unknown>;
  kid: string;
  alg: 'RS256' | 'ES256';
}
