/**
 * The sample's settings: what `npm start` reads from the environment (see docs/sample.md), and what the Nest
 * application is configured with once the ports are known and the authorization server is running.
 */

/** What the environment asks for, defaults applied. Ports may be 0 (any free port, used by tests). */
export interface SampleEnvironment {
  /** `HOST`, default `127.0.0.1`. */
  host: string;
  /** `PORT`, default 3000. */
  port: number;
  /** `AUTH_PORT`, default 3001: the embedded development authorization server. */
  authPort: number;
  /** `MCP_AUTH_ISSUER`: trust this external issuer instead; the embedded server is then not started. */
  issuer?: string;
  /** `MCP_RESOURCE`, default `http://127.0.0.1:${PORT}/mcp`. */
  mcpResource?: string;
  /** `NOTES_RESOURCE`, default `http://127.0.0.1:${PORT}/notes`. */
  notesResource?: string;
  /** `MCP_SDK`, default `v2`: which MCP TypeScript SDK serves `/mcp`. */
  mcpSdk: McpSdk;
  /** `MCP_DPOP`, default `allowed`: the DPoP mode (RFC 9449) of `/mcp`. */
  mcpDpop: SampleDpopMode;
}

/** What the application module is configured with (served by `ConfigService` under {@link SAMPLE_CONFIG_KEY}). */
export interface SampleSettings {
  /** The trusted issuer: the embedded server's, or `MCP_AUTH_ISSUER`. */
  issuer: string;
  /** Resource identifier of `POST /mcp`. */
  mcpResource: string;
  /** Resource identifier of the `/notes` REST API. */
  notesResource: string;
  /** Browser origins (hostnames, any port) allowed to call `/mcp` (C13). */
  allowedOriginHostnames: string[];
  /** The MCP TypeScript SDK whose server answers `/mcp`. */
  mcpSdk: McpSdk;
  /** Whether `/mcp` takes DPoP-bound tokens (`allowed`: Bearer or DPoP; `required`: DPoP only; `off`: Bearer only). */
  mcpDpop: SampleDpopMode;
}

/** The `ConfigService` key holding the {@link SampleSettings}. */
export const SAMPLE_CONFIG_KEY = 'sample';

/** The typed shape of the sample's configuration, for `ConfigService<SampleConfiguration, true>`. */
export interface SampleConfiguration {
  [SAMPLE_CONFIG_KEY]: SampleSettings;
}

/**
 * The MCP TypeScript SDKs the sample can serve `/mcp` with: `v2` (`@modelcontextprotocol/server`) and `v1`
 * (`@modelcontextprotocol/sdk` 1.x, which most MCP servers in the field still run).
 */
export const MCP_SDKS = ['v2', 'v1'] as const;
export type McpSdk = (typeof MCP_SDKS)[number];
/** The SDK serving `/mcp` when `MCP_SDK` is not set. */
export const DEFAULT_MCP_SDK: McpSdk = 'v2';

/**
 * The DPoP modes `/mcp` can run in. `allowed` by default: DPoP-capable clients get sender-constrained tokens
 * from the embedded server and use them, every other MCP client keeps working with Bearer tokens.
 */
export const SAMPLE_DPOP_MODES = ['allowed', 'required', 'off'] as const;
export type SampleDpopMode = (typeof SAMPLE_DPOP_MODES)[number];
/** The DPoP mode of `/mcp` when `MCP_DPOP` is not set. */
export const DEFAULT_MCP_DPOP: SampleDpopMode = 'allowed';

/** The scopes the sample's resources understand. */
export const NOTES_SCOPES = ['read:notes', 'write:notes'] as const;

const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Reads the sample's environment variables; throws naming every variable that is malformed. */
export function sampleEnvironmentFrom(env: NodeJS.ProcessEnv): SampleEnvironment {
  const problems: string[] = [];
  const port = portFrom(env, 'PORT', 3000, problems);
  const authPort = portFrom(env, 'AUTH_PORT', 3001, problems);
  const issuer = urlFrom(env, 'MCP_AUTH_ISSUER', problems);
  const mcpResource = urlFrom(env, 'MCP_RESOURCE', problems);
  const notesResource = urlFrom(env, 'NOTES_RESOURCE', problems);
  const mcpSdk = oneOf(env, 'MCP_SDK', MCP_SDKS, DEFAULT_MCP_SDK, problems);
  const mcpDpop = oneOf(env, 'MCP_DPOP', SAMPLE_DPOP_MODES, DEFAULT_MCP_DPOP, problems);
  if (problems.length > 0) throw new Error(`Invalid sample configuration:\n  - ${problems.join('\n  - ')}`);
  return { host: nonEmpty(env.HOST) ?? '127.0.0.1', port, authPort, issuer, mcpResource, notesResource, mcpSdk, mcpDpop };
}

/** The resource identifiers for an app listening on `port`, unless the environment names them. */
export function resourceIdentifiers(environment: SampleEnvironment, port: number): { mcpResource: string; notesResource: string } {
  return {
    mcpResource: environment.mcpResource ?? `http://127.0.0.1:${port}/mcp`,
    notesResource: environment.notesResource ?? `http://127.0.0.1:${port}/notes`,
  };
}

/**
 * Origins a browser may call `/mcp` from: loopback (the sample itself, the MCP Inspector on
 * http://localhost:6274) and the hosts of the resource identifiers (the sample behind a proxy).
 */
export function allowedOriginHostnames(...resources: string[]): string[] {
  return [...new Set([...LOOPBACK_HOSTNAMES, ...resources.map((resource) => new URL(resource).hostname)])];
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const value = nonEmpty(env[name]);
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) problems.push(`${name} must be a port number (0-65535), got "${value}"`);
  return port;
}

function urlFrom(env: NodeJS.ProcessEnv, name: string, problems: string[]): string | undefined {
  const value = nonEmpty(env[name]);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) problems.push(`${name} must be an http(s) URL, got "${value}"`);
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[], fallback: T, problems: string[]): T {
  const value = nonEmpty(env[name]);
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  problems.push(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
  return fallback;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
