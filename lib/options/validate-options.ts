import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DEFAULT_ALLOWED_ALGORITHMS } from '../mcp-auth.constants.js';
import type {
  AuthorizationServerOptions,
  IntrospectionClientOptions,
  McpAuthModuleOptions,
  ProtectedResourceOptions,
} from './mcp-auth-options.interface.js';
import { McpAuthModuleOptionsSchema } from './mcp-auth-options.schema.js';
import { isSecureUrl } from './secure-url.js';
import { clientAuthMethod } from '../introspection/introspection-client-auth.js';

const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set(DEFAULT_ALLOWED_ALGORITHMS);

/** Accepts a plain issuer string where an {@link AuthorizationServerOptions} object is expected. */
export function toAuthorizationServerOptions(entry: string | AuthorizationServerOptions): AuthorizationServerOptions {
  return typeof entry === 'string' ? { issuer: entry } : entry;
}

/**
 * Every problem with the options, each naming its field (`protectedResources[0].resource: …`), so one
 * failed bootstrap tells the developer everything to fix. Empty when the options are valid.
 */
export function validateMcpAuthOptions(options: unknown): string[] {
  if (typeof options !== 'object' || options === null) return ['options must be an object'];
  // The store is a live object (a Redis client inside, with cycles) that class-transformer must not walk.
  const { store, ...raw } = options as McpAuthModuleOptions;
  const normalised = {
    ...raw,
    protectedResources: Array.isArray(raw.protectedResources)
      ? raw.protectedResources.map((resource) =>
          typeof resource === 'object' && resource !== null && Array.isArray(resource.authorizationServers)
            ? { ...resource, authorizationServers: resource.authorizationServers.map(toAuthorizationServerOptions) }
            : resource,
        )
      : raw.protectedResources,
  };
  const instance = plainToInstance(McpAuthModuleOptionsSchema, normalised);
  const shapeProblems = flattenValidationErrors(validateSync(instance, { forbidUnknownValues: false }));
  return [...shapeProblems, ...semanticProblems(normalised), ...storeProblems(store)];
}

function storeProblems(store: unknown): string[] {
  if (store === undefined) return [];
  const isStore =
    typeof store === 'object' &&
    store !== null &&
    ['get', 'set', 'setIfAbsent', 'delete'].every((method) => typeof (store as Record<string, unknown>)[method] === 'function');
  return isStore ? [] : ['store: must be a McpAuthStore (get, set, setIfAbsent, delete), e.g. new RedisMcpAuthStore(redisClient)'];
}

function flattenValidationErrors(errors: ValidationError[], parentPath = ''): string[] {
  const problems: string[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property) ? `${parentPath}[${error.property}]` : parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      problems.push(`${path}: ${message.replace(new RegExp(`^${error.property} `), '')}`);
    }
    problems.push(...flattenValidationErrors(error.children ?? [], path));
  }
  return problems;
}

/** Parses a URL, or `undefined` for anything that is not one (already reported as a shape problem). */
function urlOf(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Rules about meaning rather than shape: secure URLs, asymmetric algorithms, unique resources. They look
 * only at values that are well-shaped, so that they add to shape problems instead of repeating them.
 */
function semanticProblems(options: McpAuthModuleOptions): string[] {
  const problems: string[] = [];
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const insecure = 'must use https (http is allowed only on loopback, or with allowInsecureHttp)';
  const checkSecure = (value: unknown, field: string) => {
    if (urlOf(value) && !isSecureUrl(value as string, allowInsecureHttp)) problems.push(`${field}: ${insecure}`);
  };
  const seenResources = new Set<string>();

  asArray(options.protectedResources).forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null) return;
    const resource = entry as Partial<ProtectedResourceOptions>;
    const field = `protectedResources[${index}]`;
    checkSecure(resource.resource, `${field}.resource`);
    if (typeof resource.resource === 'string') {
      if (seenResources.has(resource.resource)) problems.push(`${field}.resource: ${resource.resource} is configured twice`);
      seenResources.add(resource.resource);
    }
    // RFC 9728 §2: the resource server's own keys, which must be served over https.
    const jwksUri = urlOf(resource.jwksUri);
    if (jwksUri && jwksUri.protocol !== 'https:') problems.push(`${field}.jwksUri: must be an https URL`);
    if (asArray(resource.resourceSigningAlgValuesSupported).includes('none')) {
      problems.push(`${field}.resourceSigningAlgValuesSupported: must not contain "none"`);
    }
    asArray(resource.authorizationServers).forEach((server, serverIndex) => {
      if (typeof server !== 'object' || server === null) return;
      const { issuer, metadataUrl, metadata, introspection } = server as Partial<AuthorizationServerOptions>;
      const serverField = `${field}.authorizationServers[${serverIndex}]`;
      checkSecure(issuer, `${serverField}.issuer`);
      checkSecure(metadataUrl, `${serverField}.metadataUrl`);
      if (metadata && typeof metadata === 'object' && metadata.issuer !== issuer) {
        problems.push(`${serverField}.metadata.issuer: must equal the issuer ${JSON.stringify(issuer)} exactly`);
      }
      if (introspection && typeof introspection === 'object') {
        problems.push(...introspectionClientProblems(introspection, `${serverField}.introspection`));
        checkSecure(introspection.endpoint, `${serverField}.introspection.endpoint`);
      }
    });
    if (resource.tokenFormat === 'opaque' || resource.tokenFormat === 'mixed') {
      // An opaque token names no issuer, so exactly one server can be asked about it; asking several would
      // hand one server's tokens to the others.
      const introspecting = asArray(resource.authorizationServers).filter(
        (server) => typeof server === 'object' && server !== null && (server as AuthorizationServerOptions).introspection,
      ).length;
      if (introspecting !== 1) {
        problems.push(
          `${field}.authorizationServers: tokenFormat "${resource.tokenFormat}" needs exactly one authorization server with introspection credentials (found ${introspecting})`,
        );
      }
    }
  });

  for (const algorithm of asArray(options.jwt?.algorithms)) {
    if (typeof algorithm === 'string' && algorithm !== '' && !ASYMMETRIC_ALGORITHMS.has(algorithm)) {
      problems.push(
        `jwt.algorithms: "${algorithm}" is not allowed; access tokens must use an asymmetric algorithm (${[...ASYMMETRIC_ALGORITHMS].join(', ')})`,
      );
    }
  }
  const hierarchy = options.scopeHierarchy;
  if (typeof options.verifyAccessToken === 'function' && asArray(options.protectedResources).some((resource) => (resource as ProtectedResourceOptions)?.tokenFormat)) {
    problems.push('verifyAccessToken: replaces the built-in verifiers, so no protected resource may set tokenFormat');
  }
  if (typeof hierarchy === 'object' && hierarchy !== null) {
    for (const [broader, narrower] of Object.entries(hierarchy)) {
      if (!Array.isArray(narrower) || !narrower.every((scope) => typeof scope === 'string')) {
        problems.push(`scopeHierarchy.${broader}: must be an array of scope strings`);
      }
    }
  }
  return problems;
}

/** A client registration for the introspection endpoint must carry what its authentication method needs. */
function introspectionClientProblems(client: Partial<IntrospectionClientOptions>, field: string): string[] {
  const problems: string[] = [];
  const method = clientAuthMethod(client);
  if (method === 'private_key_jwt') {
    const key = client.privateKey;
    if (!key || typeof key !== 'object') problems.push(`${field}.privateKey: is required for private_key_jwt`);
    else if (typeof key.d !== 'string') problems.push(`${field}.privateKey: must be a private JWK (it has no "d")`);
    const algorithm = client.signingAlgorithm ?? (typeof key?.alg === 'string' ? key.alg : undefined);
    if (algorithm !== undefined && !ASYMMETRIC_ALGORITHMS.has(algorithm)) {
      problems.push(`${field}.signingAlgorithm: "${algorithm}" is not an asymmetric JWS algorithm`);
    }
  } else if (typeof client.clientSecret !== 'string' || client.clientSecret === '') {
    problems.push(`${field}.clientSecret: is required for ${method}`);
  }
  return problems;
}
