import { discoverAuthorizationServer } from '../discovery/discover-authorization-server.js';
import { AuthorizationServerRegistry } from '../discovery/authorization-server-registry.js';
import { fetchMetadataDocument } from '../discovery/fetch-metadata-document.js';
import { assessAuthorizationServerMetadata } from '../discovery/metadata-validation.js';
import { AuthenticationFailure, AuthorizationServerUnavailableFailure } from '../errors/authentication-failures.js';
import { AuthorizationServerDiscoveryError } from '../errors/discovery.error.js';
import type { AuthorizationServerMetadata } from '../options/mcp-auth-options.interface.js';
import { resolveMcpAuthOptions, type ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { decodeCompactJws, isCompactJws, type DecodedCompactJws } from '../verification/compact-jws.js';
import { IssuerKeySets } from '../verification/issuer-key-sets.js';
import { verifyJwsSignature } from '../verification/jws-signature.js';
import { JwtAccessTokenVerifier } from '../verification/jwt-access-token-verifier.js';
import type { DoctorArguments } from './doctor-arguments.js';
import { reportOf, warn, type DoctorCheck, type DoctorReport } from './doctor-check.js';
import { jwksCheck } from './jwks-check.js';
import { discoveredIssuerCheck, failedIssuerCheck, metadataChecks } from './metadata-checks.js';
import { PROVIDER_PRESETS } from './provider-presets.js';
import {
  algorithmCheck,
  audienceCheck,
  issuerClaimCheck,
  lifetimeCheck,
  malformedTokenCheck,
  scopeCheck,
  signatureCheck,
  typeCheck,
  verdictCheck,
  type SignatureOutcome,
} from './token-checks.js';

/**
 * The options a module configured like the arguments would resolve to, by the library's own
 * `resolveMcpAuthOptions` (so its validation and defaults apply). Throws `McpAuthOptionsError` when the
 * arguments make no valid configuration (an http issuer off loopback, say). The doctor itself checks JWTs:
 * opaque tokens need introspection credentials it does not have, so resources stay `jwt` here.
 */
export function doctorOptions(args: DoctorArguments): ResolvedMcpAuthOptions {
  return resolveMcpAuthOptions({
    protectedResources: args.resources.map((resource) => ({
      resource,
      authorizationServers: [{ issuer: args.issuer, ...(args.metadataUrl === undefined ? {} : { metadataUrl: args.metadataUrl }) }],
    })),
    // One round: an operator wants the answer now, and a retry would only hide a flaky server.
    discovery: { timeoutMs: args.timeoutMs, retries: 0 },
    ...(args.scopeHierarchy ? { scopeHierarchy: args.scopeHierarchy } : {}),
    jwt: { typ: args.typ, cache: false, ...(args.algorithms ? { algorithms: args.algorithms } : {}) },
    ...(args.preset ? { mapClaims: PROVIDER_PRESETS[args.preset].mapClaims } : {}),
  });
}

/**
 * Runs every check, in order, with the library's discovery and verification code, talking only to the
 * issuer's discovery URLs (or `--metadata-url`) and the JWKS its metadata names. Never throws for anything a
 * server answers or a token holds: each becomes a check.
 */
export async function runDoctor(args: DoctorArguments, token: string | undefined): Promise<DoctorReport> {
  const options = doctorOptions(args);
  const checks: DoctorCheck[] = [];
  const done = () => reportOf(args.issuer, args.resources, checks);
  const server = options.authorizationServers.get(args.issuer)!;

  // Lenient first (nothing required), so a missing jwks_uri is its own line rather than "no usable metadata".
  let metadata: Readonly<AuthorizationServerMetadata>;
  let warnings: string[];
  try {
    const discovered = await discoverAuthorizationServer(server, {
      options: options.discovery,
      resources: args.resources,
      allowInsecureHttp: options.allowInsecureHttp,
      requires: { jwks: false, introspection: false },
    });
    ({ metadata, warnings } = discovered);
    checks.push(discoveredIssuerCheck(args.issuer, discovered.source));
  } catch (error) {
    if (!(error instanceof AuthorizationServerDiscoveryError)) throw error;
    checks.push(failedIssuerCheck(error));
    return done();
  }
  const jwt = args.tokenFormat === 'jwt';
  const { problems } = assessAuthorizationServerMetadata(metadata, {
    issuer: args.issuer,
    resources: args.resources,
    allowInsecureHttp: options.allowInsecureHttp,
    requires: { jwks: jwt, introspection: !jwt },
  });
  checks.push(...metadataChecks(metadata, { problems, warnings }, { resources: args.resources, tokenFormat: args.tokenFormat }));

  const jwksUri = jwt ? metadata.jwks_uri : undefined;
  if (jwksUri !== undefined) checks.push(jwksCheck(jwksUri, await fetchMetadataDocument(jwksUri, args.timeoutMs), options.jwt.algorithms));

  if (token === undefined) return done();
  if (!jwt) {
    checks.push(
      warn(
        'Token (opaque)',
        'Opaque tokens are verified by introspection, which needs the resource server\'s client credentials: the doctor does not introspect',
        'Check the token with the introspection endpoint itself, or pass a JWT access token with --token-format jwt',
      ),
    );
    return done();
  }
  const jws = isCompactJws(token) ? decodeCompactJws(token) : undefined;
  if (!jws) {
    checks.push(malformedTokenCheck());
    return done();
  }
  checks.push(...(await tokenChecks(token, jws, args, options, jwksUri)));
  return done();
}

async function tokenChecks(
  token: string,
  jws: DecodedCompactJws,
  args: DoctorArguments,
  options: ResolvedMcpAuthOptions,
  jwksUri: string | undefined,
): Promise<DoctorCheck[]> {
  const { header, claims } = jws;
  const algorithm = algorithmCheck(header.alg, options.jwt.algorithms);
  const checks = [algorithm, typeCheck(header.typ, options.jwt.typ)];
  if (algorithm.status === 'pass' && jwksUri !== undefined) {
    checks.push(signatureCheck(await signatureOutcome(jws, args, jwksUri)));
  }
  checks.push(issuerClaimCheck(claims, args.issuer, args.preset));
  for (const resource of options.resources) checks.push(audienceCheck(claims, resource, args.preset));
  checks.push(lifetimeCheck(claims, options.jwt.clockToleranceSeconds, Math.floor(Date.now() / 1000)));
  if (args.scopes.length > 0) {
    checks.push(scopeCheck(token, claims, options.resources[0]!, args.scopes, { mapClaims: options.mapClaims, hierarchy: options.scopeHierarchy }));
  }
  if (jwksUri !== undefined) {
    // The last word is the guard's own verifier, exactly as the module would build it from these options.
    const verifier = new JwtAccessTokenVerifier(options, new AuthorizationServerRegistry(options));
    for (const resource of options.resources) {
      checks.push(
        verdictCheck(
          resource.resource,
          await verifier.verify(token, resource).then(
            () => ({ accepted: true as const }),
            (error: unknown) => ({ accepted: false as const, reason: error instanceof AuthenticationFailure ? error.detail : 'The verifier failed' }),
          ),
        ),
      );
    }
  }
  return checks;
}

/** Resolves the key the way the verifier does (by the token's `alg` and `kid`, from the metadata's JWKS only), then checks the signature. */
async function signatureOutcome(jws: DecodedCompactJws, args: DoctorArguments, jwksUri: string): Promise<SignatureOutcome> {
  const alg = jws.header.alg as string;
  const kid = typeof jws.header.kid === 'string' ? jws.header.kid : undefined;
  const keySets = new IssuerKeySets({ timeoutMs: args.timeoutMs, cooldownSeconds: 0, cacheMaxAgeSeconds: 60, failureBackoffSeconds: 0 });
  try {
    const key = await keySets.keyFor(args.issuer, jwksUri, { alg, kid });
    const valid = await verifyJwsSignature(alg, key, jws.signingInput, jws.signature);
    return { kind: valid ? 'verified' : 'bad-signature', kid };
  } catch (error) {
    const reason = error instanceof AuthenticationFailure ? error.detail : 'The key could not be resolved';
    return error instanceof AuthorizationServerUnavailableFailure ? { kind: 'unavailable', reason } : { kind: 'no-key', reason };
  }
}
