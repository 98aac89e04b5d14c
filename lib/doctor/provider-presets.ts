import { auth0Claims, cognitoClaims, entraIdClaims, keycloakClaims, oktaClaims } from '../claims/provider-claim-mappers.js';
import type { ClaimsMapper } from '../options/mcp-auth-options.interface.js';

export const PRESET_NAMES = ['keycloak', 'auth0', 'entra', 'okta', 'cognito'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** What the doctor knows about a provider: how its claims read, and how to fix the mistakes it is known for. */
export interface ProviderPreset {
  mapClaims: ClaimsMapper;
  /** What to change when the token's `aud` does not name the resource. */
  audienceFix(resource: string, audience: readonly string[]): string;
  /** What to change when the token's `iss` is not the configured issuer; undefined when nothing provider-specific applies. */
  issuerFix?(configured: string, tokenIssuer: string): string | undefined;
}

const GENERIC_AUDIENCE_FIX = (resource: string) =>
  `Have the client request the token with resource=${resource} (RFC 8707), or add the audience the token carries to the resource's \`audiences\``;

/** The fixes the provider documentation gives for the questions its users ask most. */
export const PROVIDER_PRESETS: Readonly<Record<PresetName, ProviderPreset>> = {
  keycloak: {
    mapClaims: keycloakClaims(),
    audienceFix: (resource) =>
      `Keycloak puts only "account" (or nothing) in aud by default: add an Audience mapper (Client scopes → <the scope your MCP client requests> → Mappers → By configuration → Audience, Included Custom Audience = ${resource}, Add to access token on)`,
  },
  auth0: {
    mapClaims: auth0Claims(),
    audienceFix: (resource) =>
      `Auth0 sets aud to an API identifier: create an API (Applications → APIs) whose Identifier is exactly ${resource}, and have the client send audience=${resource} (or turn on the Resource Parameter Compatibility Profile so that resource= works)`,
  },
  entra: {
    mapClaims: entraIdClaims(),
    audienceFix: (resource, audience) =>
      `Entra sets aud to the API's Application ID URI (api://…) or its client id${audience.length ? ` (${audience.join(', ')})` : ''}: set the Application ID URI to ${resource} (Expose an API), or add the token's aud to the resource's \`audiences\`, and request the scope as ${resource}/<scope>`,
    issuerFix: (configured, tokenIssuer) => {
      const v1 = /^https:\/\/sts\.windows\.net\/[^/]+\/$/;
      const v2 = /^https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0$/;
      if (v1.test(tokenIssuer) && v2.test(configured)) {
        return 'The token is an Entra v1 token (sts.windows.net) but the v2.0 issuer is configured: set "accessTokenAcceptedVersion": 2 (api.requestedAccessTokenVersion) in the API app registration\'s manifest';
      }
      if (v2.test(tokenIssuer) && v1.test(configured)) {
        return `The token is an Entra v2 token but the v1 issuer is configured: use --issuer ${tokenIssuer} (and configure that issuer)`;
      }
      return undefined;
    },
  },
  okta: {
    mapClaims: oktaClaims(),
    audienceFix: (resource) =>
      `Okta sets aud to the authorization server's Audience (api://default unless changed): set it to ${resource} (Security → API → Authorization Servers → Settings → Audience), or add the token's aud to the resource's \`audiences\``,
    issuerFix: (configured, tokenIssuer) =>
      tokenIssuer.includes('/oauth2/') !== configured.includes('/oauth2/')
        ? 'Okta has an org authorization server (https://<org>.okta.com) and custom ones (…/oauth2/<id>); only custom ones issue tokens for your own APIs: configure the issuer the token names, or request the token from the configured one'
        : undefined,
  },
  cognito: {
    mapClaims: cognitoClaims(),
    audienceFix: (resource) =>
      `Cognito user-pool access tokens carry client_id but no aud: add aud=${resource} with a pre-token-generation Lambda trigger (event version 2 or later), or use a token issuer that sets aud`,
  },
};

/** The fix for a missing audience: the provider's when a preset is named, the RFC 8707 one otherwise. */
export function audienceFixFor(preset: PresetName | undefined, resource: string, audience: readonly string[]): string {
  return preset === undefined ? GENERIC_AUDIENCE_FIX(resource) : PROVIDER_PRESETS[preset].audienceFix(resource, audience);
}
