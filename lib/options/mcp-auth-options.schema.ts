// class-transformer's @Type reads design-time metadata, so the polyfill must be loaded before these classes.
import 'reflect-metadata';
import { DEFAULT_ALLOWED_ALGORITHMS } from '../mcp-auth.constants.js';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

/** A function-valued option (hooks such as `transformMetadata` and `mapClaims`). */
function IsFunction(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFunction',
      validator: {
        validate: (value: unknown) => typeof value === 'function',
        defaultMessage: () => 'must be a function',
      },
    },
    validationOptions,
  );
}

/** An absolute URL with a scheme and a host, and no fragment. */
function IsAbsoluteUrl(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAbsoluteUrl',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            const url = new URL(value);
            return url.host !== '' && url.hash === '' && !value.includes('#');
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `must be an absolute URL without a fragment (got ${JSON.stringify(args?.value)})`,
      },
    },
    validationOptions,
  );
}

/** An array whose every item is a non-empty string. */
function IsStringList(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringList',
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0),
        defaultMessage: () => 'must be an array of non-empty strings',
      },
    },
    validationOptions,
  );
}

const DPOP_MODES = ['off', 'allowed', 'required'];
const SYMMETRIC_OR_NONE = /^(none|HS\d+)$/i;

/** Why a `dpop` option is invalid, or `undefined` when it is valid. */
function dpopOptionProblem(value: unknown): string | undefined {
  if (typeof value === 'string') return DPOP_MODES.includes(value) ? undefined : `mode must be one of ${DPOP_MODES.join(', ')}`;
  if (typeof value !== 'object' || value === null) return 'must be a mode or { mode, algorithms?, proofMaxAgeSeconds?, nonce? }';
  const { mode, algorithms, proofMaxAgeSeconds, nonce } = value as Record<string, unknown>;
  if (typeof mode !== 'string' || !DPOP_MODES.includes(mode)) return `mode must be one of ${DPOP_MODES.join(', ')}`;
  if (algorithms !== undefined) {
    const names: unknown[] = Array.isArray(algorithms) ? algorithms : [];
    if (names.length === 0 || !names.every((alg) => typeof alg === 'string' && alg !== '')) {
      return 'algorithms must be a non-empty array of JWS algorithm names';
    }
    const refused = (names as string[]).find((alg) => SYMMETRIC_OR_NONE.test(alg));
    if (refused) return `algorithms may not hold ${refused}: a DPoP proof is signed with the client's private key`;
    const unknown = (names as string[]).find((alg) => !(DEFAULT_ALLOWED_ALGORITHMS as readonly string[]).includes(alg));
    if (unknown) return `algorithms: ${unknown} is not one of ${DEFAULT_ALLOWED_ALGORITHMS.join(', ')}`;
  }
  if (proofMaxAgeSeconds !== undefined && !(Number.isInteger(proofMaxAgeSeconds) && (proofMaxAgeSeconds as number) >= 1)) {
    return 'proofMaxAgeSeconds must be a positive integer';
  }
  if (nonce !== undefined && typeof nonce !== 'boolean') {
    const { secret, lifetimeSeconds } = (typeof nonce === 'object' && nonce !== null ? nonce : {}) as Record<string, unknown>;
    if (typeof secret !== 'string' || secret.length < 32) return 'nonce.secret must be a string of at least 32 characters';
    if (lifetimeSeconds !== undefined && !(Number.isInteger(lifetimeSeconds) && (lifetimeSeconds as number) >= 1)) {
      return 'nonce.lifetimeSeconds must be a positive integer';
    }
  }
  return undefined;
}

/** `'off' | 'allowed' | 'required'` or a {@link DpopOptions} object. */
function IsDpopOption(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDpopOption',
      validator: {
        validate: (value: unknown) => dpopOptionProblem(value) === undefined,
        defaultMessage: (args) => dpopOptionProblem(args?.value) ?? 'is invalid',
      },
    },
    validationOptions,
  );
}

/** An object mapping names to lists of OAuth scope tokens (RFC 6749 §3.3), as `mcp.tools` does. */
function IsScopeMap(validationOptions?: ValidationOptions): PropertyDecorator {
  const isScope = (item: unknown) => typeof item === 'string' && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(item);
  return ValidateBy(
    {
      name: 'isScopeMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(([name, scopes]) => name !== '' && Array.isArray(scopes) && scopes.every(isScope)),
        defaultMessage: () => 'must map each name to an array of scope tokens, e.g. { "create-note": ["write:notes"] }',
      },
    },
    validationOptions,
  );
}

/** `false`, or `{ maxEntries?, maxTtlSeconds? }` with non-negative integers. */
function IsCacheOption(validationOptions?: ValidationOptions): PropertyDecorator {
  const isCount = (value: unknown) => value === undefined || (Number.isInteger(value) && (value as number) >= 0);
  return ValidateBy(
    {
      name: 'isCacheOption',
      validator: {
        validate: (value: unknown) =>
          value === false ||
          (typeof value === 'object' &&
            value !== null &&
            isCount((value as Record<string, unknown>).maxEntries) &&
            isCount((value as Record<string, unknown>).maxTtlSeconds)),
        defaultMessage: () => 'must be false or { maxEntries?, maxTtlSeconds? } with non-negative integers',
      },
    },
    validationOptions,
  );
}

/** `false`, or `{ maxTtlSeconds? }` with a positive integer. */
function IsIntrospectionCacheOption(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIntrospectionCacheOption',
      validator: {
        validate: (value: unknown) =>
          value === false ||
          (typeof value === 'object' &&
            value !== null &&
            ((value as Record<string, unknown>).maxTtlSeconds === undefined ||
              (Number.isInteger((value as Record<string, unknown>).maxTtlSeconds) && ((value as Record<string, number>).maxTtlSeconds ?? 0) >= 1))),
        defaultMessage: () => 'must be false or { maxTtlSeconds? } with a positive integer',
      },
    },
    validationOptions,
  );
}

/** Like `@ArrayNotEmpty()`, except that a resource with an `issuerResolver` may list no server. */
function ArrayNotEmptyWithoutResolver(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'arrayNotEmptyWithoutResolver',
      validator: {
        validate: (value: unknown, args) =>
          !Array.isArray(value) || value.length > 0 || (args?.object as { issuerResolver?: unknown }).issuerResolver !== undefined,
        defaultMessage: () => 'should not be empty (it may be only with an issuerResolver)',
      },
    },
    validationOptions,
  );
}

// The classes below describe the option shapes for class-validator only; users write plain objects.

export class IntrospectionClientOptionsSchema {
  @IsString()
  @MinLength(1)
  clientId!: string;

  @IsOptional()
  @IsIn(['client_secret_basic', 'client_secret_post', 'private_key_jwt'])
  authMethod?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  clientSecret?: string;

  @IsOptional()
  @IsObject()
  privateKey?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  signingAlgorithm?: string;

  @IsOptional()
  @IsAbsoluteUrl()
  endpoint?: string;
}

export class AuthorizationServerOptionsSchema {
  @IsAbsoluteUrl()
  issuer!: string;

  @IsOptional()
  @IsAbsoluteUrl()
  metadataUrl?: string;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @IsOptional()
  @ValidateNested()
  @Type(() => IntrospectionClientOptionsSchema)
  introspection?: IntrospectionClientOptionsSchema;

  @IsOptional()
  @IsFunction()
  mapClaims?: unknown;
}

export class McpOperationsOptionsSchema {
  @IsOptional()
  @IsScopeMap()
  tools?: Record<string, string[]>;

  @IsOptional()
  @IsScopeMap()
  resources?: Record<string, string[]>;

  @IsOptional()
  @IsScopeMap()
  prompts?: Record<string, string[]>;

  @IsOptional()
  @IsBoolean()
  publicDiscover?: boolean;
}

export class ProtectedResourceOptionsSchema {
  @IsAbsoluteUrl()
  resource!: string;

  @IsArray()
  @ArrayNotEmptyWithoutResolver()
  @ValidateNested({ each: true })
  @Type(() => AuthorizationServerOptionsSchema)
  authorizationServers!: AuthorizationServerOptionsSchema[];

  @IsOptional()
  @IsStringList()
  audiences?: string[];

  @IsOptional()
  @IsStringList()
  scopesSupported?: string[];

  @IsOptional()
  @IsString()
  resourceName?: string;

  @IsOptional()
  @IsAbsoluteUrl()
  resourceDocumentation?: string;

  @IsOptional()
  @IsAbsoluteUrl()
  resourcePolicyUri?: string;

  @IsOptional()
  @IsAbsoluteUrl()
  resourceTosUri?: string;

  @IsOptional()
  @IsAbsoluteUrl()
  jwksUri?: string;

  @IsOptional()
  @IsStringList()
  resourceSigningAlgValuesSupported?: string[];

  @IsOptional()
  @IsStringList()
  authorizationDetailsTypesSupported?: string[];

  @IsOptional()
  @IsBoolean()
  tlsClientCertificateBoundAccessTokens?: boolean;

  @IsOptional()
  @IsObject()
  additionalMetadata?: Record<string, unknown>;

  @IsOptional()
  @IsIn(['jwt', 'opaque', 'mixed'])
  tokenFormat?: string;

  @IsOptional()
  @IsFunction()
  issuerResolver?: unknown;

  @IsOptional()
  @ValidateNested()
  @Type(() => McpOperationsOptionsSchema)
  mcp?: McpOperationsOptionsSchema;

  @IsOptional()
  @IsDpopOption()
  dpop?: unknown;
}

export class IntrospectionOptionsSchema {
  @IsOptional()
  @IsInt()
  @Min(1)
  timeoutMs?: number;

  @IsOptional()
  @IsIntrospectionCacheOption()
  cache?: unknown;
}

export class TenantOptionsSchema {
  @IsOptional()
  @IsInt()
  @Min(1)
  metadataTtlSeconds?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  maxTenants?: number;
}

export class DiscoveryOptionsSchema {
  @IsOptional()
  @IsInt()
  @Min(1)
  timeoutMs?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  retries?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  retryDelayMs?: number;

  @IsOptional()
  @IsBoolean()
  failFast?: boolean;

  @IsOptional()
  @IsFunction()
  transformMetadata?: unknown;
}

export class JwtVerificationOptionsSchema {
  @IsOptional()
  @IsStringList()
  @ArrayNotEmpty()
  algorithms?: string[];

  @IsOptional()
  @IsInt()
  @Min(0)
  clockToleranceSeconds?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  maxTokenAgeSeconds?: number;

  @IsOptional()
  @IsIn(['lenient', 'strict'])
  typ?: 'lenient' | 'strict';

  @IsOptional()
  @IsStringList()
  requiredClaims?: string[];

  @IsOptional()
  @IsInt()
  @Min(0)
  jwksCooldownSeconds?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  jwksCacheMaxAgeSeconds?: number;

  @IsOptional()
  @IsCacheOption()
  cache?: unknown;
}

export class McpAuthModuleOptionsSchema {
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => ProtectedResourceOptionsSchema)
  protectedResources!: ProtectedResourceOptionsSchema[];

  @IsOptional()
  @ValidateNested()
  @Type(() => DiscoveryOptionsSchema)
  discovery?: DiscoveryOptionsSchema;

  @IsOptional()
  @ValidateNested()
  @Type(() => JwtVerificationOptionsSchema)
  jwt?: JwtVerificationOptionsSchema;

  @IsOptional()
  @IsObject()
  scopeHierarchy?: Record<string, string[]>;

  @IsOptional()
  @IsFunction()
  mapClaims?: unknown;

  @IsOptional()
  @ValidateNested()
  @Type(() => IntrospectionOptionsSchema)
  introspection?: IntrospectionOptionsSchema;

  @IsOptional()
  @ValidateNested()
  @Type(() => TenantOptionsSchema)
  tenants?: TenantOptionsSchema;

  @IsOptional()
  @IsFunction()
  verifyAccessToken?: unknown;

  @IsOptional()
  @IsBoolean()
  showErrorDetails?: boolean;

  @IsOptional()
  @IsBoolean()
  allowInsecureHttp?: boolean;

  @IsOptional()
  @IsInt()
  @Min(0)
  retryAfterSeconds?: number;
}
