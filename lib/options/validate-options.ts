import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DEFAULT_ALLOWED_ALGORITHMS } from '../mcp-auth.constants.js';
import type { AuthorizationServerOptions, McpAuthModuleOptions } from './mcp-auth-options.interface.js';
import { McpAuthModuleOptionsSchema } from './mcp-auth-options.schema.js';
import { isSecureUrl } from './secure-url.js';

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
  const raw = options as McpAuthModuleOptions;
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
  // Semantic rules need well-shaped input; report shape problems first.
  return shapeProblems.length > 0 ? shapeProblems : semanticProblems(normalised as McpAuthModuleOptions);
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

/** Rules about meaning rather than shape: secure URLs, asymmetric algorithms, unique resources. */
function semanticProblems(options: McpAuthModuleOptions): string[] {
  const problems: string[] = [];
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const insecure = 'must use https (http is allowed only on loopback, or with allowInsecureHttp)';
  const seenResources = new Set<string>();

  options.protectedResources.forEach((resource, index) => {
    const field = `protectedResources[${index}]`;
    if (!isSecureUrl(resource.resource, allowInsecureHttp)) problems.push(`${field}.resource: ${insecure}`);
    if (seenResources.has(resource.resource)) problems.push(`${field}.resource: ${resource.resource} is configured twice`);
    seenResources.add(resource.resource);
    // RFC 9728 §2: the resource server's own keys, which must be served over https.
    if (resource.jwksUri && !resource.jwksUri.startsWith('https://')) problems.push(`${field}.jwksUri: must be an https URL`);
    if (resource.resourceSigningAlgValuesSupported?.includes('none')) {
      problems.push(`${field}.resourceSigningAlgValuesSupported: must not contain "none"`);
    }
    resource.authorizationServers.map(toAuthorizationServerOptions).forEach((server, serverIndex) => {
      const serverField = `${field}.authorizationServers[${serverIndex}]`;
      if (!isSecureUrl(server.issuer, allowInsecureHttp)) problems.push(`${serverField}.issuer: ${insecure}`);
      if (server.metadataUrl && !isSecureUrl(server.metadataUrl, allowInsecureHttp)) {
        problems.push(`${serverField}.metadataUrl: ${insecure}`);
      }
      if (server.metadata && server.metadata.issuer !== server.issuer) {
        problems.push(`${serverField}.metadata.issuer: must equal the issuer ${JSON.stringify(server.issuer)} exactly`);
      }
    });
  });

  for (const algorithm of options.jwt?.algorithms ?? []) {
    if (!ASYMMETRIC_ALGORITHMS.has(algorithm)) {
      problems.push(
        `jwt.algorithms: "${algorithm}" is not allowed; access tokens must use an asymmetric algorithm (${[...ASYMMETRIC_ALGORITHMS].join(', ')})`,
      );
    }
  }
  for (const [broader, narrower] of Object.entries(options.scopeHierarchy ?? {})) {
    if (!Array.isArray(narrower) || !narrower.every((scope) => typeof scope === 'string')) {
      problems.push(`scopeHierarchy.${broader}: must be an array of scope strings`);
    }
  }
  return problems;
}
