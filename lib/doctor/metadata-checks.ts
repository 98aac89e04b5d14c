import type { AuthorizationServerDiscoveryError } from '../errors/discovery.error.js';
import type { MetadataAssessment } from '../discovery/metadata-validation.js';
import type { AuthorizationServerMetadata } from '../options/mcp-auth-options.interface.js';
import { fail, pass, warn, type DoctorCheck } from './doctor-check.js';

export const ISSUER_TITLE = 'Issuer metadata reachable, issuer byte-identical';

/** The metadata was found, at `source`, with an `issuer` equal to the configured one. */
export function discoveredIssuerCheck(issuer: string, source: string): DoctorCheck {
  return pass(ISSUER_TITLE, `${issuer} (from ${source})`);
}

/** Discovery gave up: every URL tried, what each answered, and the one change most likely to help. */
export function failedIssuerCheck(error: AuthorizationServerDiscoveryError): DoctorCheck {
  const tried = error.attempts.map(({ url, outcome }) => `${url}: ${outcome}`).join('; ');
  const wrongIssuer = error.attempts.find(({ outcome }) => outcome.startsWith('"issuer" is'));
  const fix = wrongIssuer
    ? 'Use the issuer exactly as the metadata spells it (scheme, host, path and trailing slash included) in --issuer and in your configuration'
    : error.unreachable
      ? 'Check that the authorization server is up and reachable from here (or raise --timeout); behind split-horizon DNS give --metadata-url'
      : 'Check the issuer URL, or give --metadata-url with where the metadata lives';
  return fail(ISSUER_TITLE, `No usable metadata for ${error.issuer}. Tried ${tried}`, fix);
}

/**
 * What the metadata offers MCP clients and this resource server, from the library's own assessment of it
 * (`assessAuthorizationServerMetadata`): its problems fail, its warnings warn, one line per concern. The
 * assessment stops at the first problems, so warnings come from discovery's lenient pass and problems from
 * a pass with the requirements of `tokenFormat`.
 */
export function metadataChecks(
  metadata: Readonly<AuthorizationServerMetadata>,
  assessment: MetadataAssessment,
  context: { resources: readonly string[]; tokenFormat: 'jwt' | 'opaque' },
): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const problem = (field: string) => assessment.problems.find((text) => text.startsWith(`"${field}"`));
  const warning = (field: string) => assessment.warnings.filter((text) => text.includes(field));

  if (context.tokenFormat === 'jwt') {
    const jwksProblem = problem('jwks_uri');
    checks.push(
      jwksProblem
        ? fail('JWKS advertised (jwks_uri)', jwksProblem, 'Publish the signing keys and list their URL as jwks_uri in the metadata')
        : pass('JWKS advertised (jwks_uri)', metadata.jwks_uri!),
    );
  } else {
    const introspectionProblem = problem('introspection_endpoint');
    checks.push(
      introspectionProblem
        ? fail(
            'Introspection endpoint (opaque tokens)',
            introspectionProblem,
            'Enable token introspection (RFC 7662) on the authorization server, or configure introspection.endpoint',
          )
        : pass('Introspection endpoint (opaque tokens)', metadata.introspection_endpoint!),
    );
  }

  const [pkce] = warning('code_challenge_methods_supported');
  checks.push(
    pkce
      ? warn(
          'PKCE S256 (code_challenge_methods_supported)',
          `code_challenge_methods_supported is ${JSON.stringify(metadata.code_challenge_methods_supported ?? null)}; MCP clients refuse an authorization server without S256`,
          'Enable PKCE with S256 on the authorization server and list it in code_challenge_methods_supported',
        )
      : pass('PKCE S256 (code_challenge_methods_supported)', 'S256 is listed'),
  );

  const [registration] = warning('registration_endpoint');
  checks.push(
    registration
      ? warn(
          'Client registration (registration_endpoint or CIMD)',
          'Neither registration_endpoint nor client_id_metadata_document_supported: MCP clients need a pre-registered client id',
          'Enable dynamic client registration (RFC 7591) or Client ID Metadata Documents, or hand every MCP client a pre-registered client id',
        )
      : pass(
          'Client registration (registration_endpoint or CIMD)',
          metadata.client_id_metadata_document_supported === true ? 'Client ID Metadata Documents are supported' : `registration_endpoint ${metadata.registration_endpoint}`,
        ),
  );

  if (Array.isArray(metadata.protected_resources)) {
    const missing = context.resources.filter((resource) => assessment.warnings.some((text) => text.endsWith(` without ${resource}`)));
    checks.push(
      missing.length > 0
        ? warn(
            'protected_resources lists ours',
            `protected_resources does not list ${missing.join(', ')}`,
            `Register ${missing.join(', ')} as a resource of this authorization server (or fix the identifier's spelling, trailing slash included)`,
          )
        : pass('protected_resources lists ours', `lists ${context.resources.join(', ')}`),
    );
  }
  return checks;
}
