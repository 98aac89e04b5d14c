import type { JWK } from 'jose';

import { startDevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { runDoctorInProcess } from '../fixtures/doctor-command.js';
import { completeMetadata, startMetadataServer } from '../fixtures/metadata-server.js';
import { createSigningKey, signAccessToken } from '../fixtures/token-signer.js';
import { publicJwkOf } from '../security/fixtures/loopback-issuer.js';

// What `nestjs-mcp-auth doctor` prints, for the `<!-- output: test/docs/doctor-outputs.ts#… -->` blocks of
// docs/doctor.md: real runs, with what differs from run to run (ports, key ids) spelled as the page shows it.

const RESOURCE = 'http://127.0.0.1:3000/mcp';

/** The sample's authorization server (`npm start`) and a client_credentials token of its dev client, all passing. */
export async function doctorHealthyReport(): Promise<string> {
  const as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes'] }] });
  try {
    const { access_token } = await clientCredentialsToken(as, { resource: RESOURCE, scope: 'read:notes' });
    const { keys } = (await (await fetch(`${as.issuer}/jwks`)).json()) as { keys: JWK[] };
    const { stdout } = await runDoctorInProcess(['doctor', '--issuer', as.issuer, '--resource', RESOURCE, '--scope', 'read:notes', '--token', '-'], access_token);
    return keys.reduce((text, key) => text.replaceAll(key.kid!, 'dev-signing-key'), stdout).replaceAll(new URL(as.issuer).host, '127.0.0.1:3001');
  } finally {
    await as.close();
  }
}

/**
 * A Keycloak realm whose tokens carry only the default `account` audience: no Audience mapper yet. A loopback
 * server plays Keycloak (its metadata and JWKS, shown at Keycloak's own paths); the token is signed with a key
 * it publishes.
 */
export async function doctorKeycloakAudienceReport(): Promise<string> {
  const issuer = 'https://keycloak.example.com/realms/demo';
  const key = await createSigningKey('RS256', 'realm-rsa-key');
  const server = await startMetadataServer([await publicJwkOf(key)]);
  server.metadata = { json: completeMetadata(issuer, server.jwksUri) };
  try {
    const token = await signAccessToken(key, { issuer, audience: 'account', claims: { azp: 'mcp-client' } });
    const { stdout } = await runDoctorInProcess(
      ['doctor', '--issuer', issuer, '--metadata-url', server.metadataUrl, '--resource', RESOURCE, '--preset', 'keycloak', '--scope', 'read:notes', '--token', '-'],
      token,
    );
    return stdout
      .replaceAll(server.metadataUrl, `${issuer}/.well-known/openid-configuration`)
      .replaceAll(server.jwksUri, `${issuer}/protocol/openid-connect/certs`)
      .replaceAll(`${server.url}/register`, `${issuer}/clients-registrations/openid-connect`);
  } finally {
    await server.close();
  }
}
