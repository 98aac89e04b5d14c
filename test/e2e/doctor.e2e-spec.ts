import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateSecret, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { runBuiltDoctor, runDoctorInProcess, type CommandResult } from '../fixtures/doctor-command.js';
import { run } from '../consumers/consumer-workspace.js';
import { REPOSITORY_ROOT } from '../fixtures/repository-root.js';
import { freePort } from '../fixtures/free-port.js';
import { completeMetadata, startMetadataServer, type MetadataServer } from '../fixtures/metadata-server.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';
import { publicJwkOf } from '../security/fixtures/loopback-issuer.js';

// `nestjs-mcp-auth doctor` (issue 15, point 1) in this process, against the real development authorization server
// and loopback servers whose metadata is broken on purpose. Every run is also checked for what it must never
// print: the token, or any key material (`n`, `x`, `k`) of the JWKS it read.

const resource = 'http://127.0.0.1:3000/mcp';
const secrets: string[] = [];

/** Runs the command and fails the test if the output holds a token or key material seen so far. */
async function doctor(args: readonly string[], stdin = ''): Promise<CommandResult> {
  const result = await runDoctorInProcess(args, stdin);
  const printed = result.stdout + result.stderr;
  for (const secret of secrets) expect(printed.includes(secret), 'the doctor printed a token or a key').toBe(false);
  expect(printed).not.toMatch(/\n\s+at /); // never a stack trace
  return result;
}

function remember(...values: Array<string | undefined>) {
  for (const value of values) if (value) secrets.push(value, ...value.split('.').filter((part) => part.length >= 16));
}

function keyMaterial(jwk: JWK) {
  remember(jwk.n, jwk.x, jwk.y, jwk.k, jwk.d);
}

const line = (result: CommandResult, title: string) => result.stdout.split('\n').find((text) => text.slice(2).startsWith(title)) ?? '';
const fixOf = (result: CommandResult, title: string) => {
  const lines = result.stdout.split('\n');
  const index = lines.findIndex((text) => text.slice(2).startsWith(title));
  return lines[index + 1]?.startsWith('    → ') ? lines[index + 1]!.slice(6) : '';
};

describe('doctor against the development authorization server', () => {
  let as: DevAuthorizationServer;
  let token: string;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: resource, scopes: ['read:notes', 'write:notes'] }] });
    token = (await clientCredentialsToken(as, { resource, scope: 'read:notes' })).access_token;
    remember(token);
    const jwks = (await (await fetch(`${as.issuer}/jwks`)).json()) as { keys: JWK[] };
    jwks.keys.forEach(keyMaterial);
  });
  afterAll(() => as?.close());

  it('O-doctor-1 a healthy setup passes every check and exits 0', async () => {
    const result = await doctor(['doctor', '--issuer', as.issuer, '--resource', resource]);
    expect(result.code).toBe(0);
    expect(line(result, 'Issuer metadata reachable')).toMatch(/^✔ /);
    expect(line(result, 'JWKS advertised')).toMatch(/^✔ /);
    expect(line(result, 'PKCE S256')).toMatch(/^✔ /);
    expect(line(result, 'Client registration')).toMatch(/^✔ /);
    expect(line(result, 'JWKS reachable')).toMatch(/^✔ .*usable: kid/);
    expect(result.stdout).toContain('OK: everything the guard needs passes');
  });

  it('O-doctor-2 a real client_credentials token for the resource passes signature, iss, aud, typ, lifetime, scopes and the guard verifier', async () => {
    const result = await doctor(['doctor', '--issuer', as.issuer, '--resource', resource, '--scope', 'read:notes', '--token', token]);
    expect(result.code).toBe(0);
    for (const title of ['Token algorithm accepted', 'Token typ', 'Token signature and key', 'Token iss', 'Token aud', 'Token exp', 'Token scopes', "Guard's verifier"]) {
      expect(line(result, title), title).toMatch(/^✔ /);
    }
  });

  it('O-doctor-3 the token from stdin (--token -) and from a file (--token-file) are read the same way', async () => {
    const fromStdin = await doctor(['doctor', '--issuer', as.issuer, '--resource', resource, '--token', '-'], `${token}\n`);
    expect(fromStdin.code).toBe(0);
    expect(line(fromStdin, "Guard's verifier")).toMatch(/^✔ /);
    const folder = await mkdtemp(join(tmpdir(), 'doctor-'));
    try {
      await writeFile(join(folder, 'token'), `${token}\n`);
      const fromFile = await doctor(['doctor', '--issuer', as.issuer, '--resource', resource, '--token-file', join(folder, 'token')]);
      const lifetime = /expires in [^\n]+/;
      expect(fromFile.stdout.replace(lifetime, '')).toBe(fromStdin.stdout.replace(lifetime, ''));
      expect(fromFile.code).toBe(0);
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  it('O-doctor-4 a token for another resource fails aud and the verifier, with the RFC 8707 fix, and exits 1', async () => {
    const other = 'http://127.0.0.1:3000/other';
    const result = await doctor(['doctor', '--issuer', as.issuer, '--resource', other, '--token', token]);
    expect(result.code).toBe(1);
    expect(line(result, `Token aud accepted by ${other}`)).toMatch(/^✘ .*accepted: \["http:\/\/127\.0\.0\.1:3000\/other"\]/);
    expect(fixOf(result, `Token aud accepted by ${other}`)).toContain(`resource=${other}`);
    expect(line(result, "Guard's verifier")).toMatch(/^✘ .*"aud" claim is not accepted/);
  });

  it('O-doctor-5 a missing scope fails with the scope to request', async () => {
    const result = await doctor(['doctor', '--issuer', as.issuer, '--resource', resource, '--scope', 'write:notes', '--token', token]);
    expect(result.code).toBe(1);
    expect(line(result, 'Token scopes')).toMatch(/^✘ .*missing: write:notes/);
    expect(fixOf(result, 'Token scopes')).toContain('scope="write:notes"');
  });

  it('O-doctor-5b a broader scope satisfies --scope through --scope-hierarchy, as the guard would', async () => {
    const args = ['doctor', '--issuer', as.issuer, '--resource', resource, '--scope', 'notes:read-only', '--token', token];
    expect((await doctor(args)).code).toBe(1);
    const result = await doctor([...args, '--scope-hierarchy', '{"read:notes":["notes:read-only"]}']);
    expect(line(result, 'Token scopes')).toMatch(/^✔ /);
    expect(result.code).toBe(0);
  });

  it('O-doctor-6 --json prints one document with every check', async () => {
    const result = await doctor(['doctor', '--issuer', as.issuer, '--resource', resource, '--token', token, '--json']);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Array<{ status: string; title: string }> };
    expect(result.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.status)).not.toContain('fail');
    expect(report.checks.length).toBeGreaterThanOrEqual(10);
  });

  it('O-doctor-7 a byte-different issuer (trailing slash) fails discovery, naming the issuer the metadata holds', async () => {
    const result = await doctor(['doctor', '--issuer', `${as.issuer}/`, '--resource', resource]);
    expect(result.code).toBe(1);
    expect(line(result, 'Issuer metadata reachable')).toMatch(/^✘ .*expected exactly/);
    expect(fixOf(result, 'Issuer metadata reachable')).toContain('exactly as the metadata spells it');
  });
});

describe('doctor against broken metadata (loopback)', () => {
  let key: TestSigningKey;
  let server: MetadataServer;
  let publicJwk: JWK;

  beforeAll(async () => {
    key = await createSigningKey('RS256');
    publicJwk = await publicJwkOf(key);
    keyMaterial(publicJwk);
    server = await startMetadataServer([publicJwk]);
  });
  afterAll(() => server?.close());

  /** Serves `metadata` for `issuer` (defaults: complete, for the server's own origin) and runs the doctor against it. */
  async function against(options: { issuer?: string; metadata?: Record<string, unknown>; args?: string[]; stdin?: string }) {
    const issuer = options.issuer ?? server.url;
    server.metadata = { json: options.metadata ?? completeMetadata(issuer, server.jwksUri) };
    server.jwks = { json: { keys: [publicJwk] } };
    return doctor(['doctor', '--issuer', issuer, '--metadata-url', server.metadataUrl, '--resource', resource, '--timeout', '500', ...(options.args ?? [])], options.stdin);
  }

  async function sign(options: Parameters<typeof signAccessToken>[1]) {
    const token = await signAccessToken(key, options);
    remember(token);
    return token;
  }

  it('O-doctor-8 a wrong issuer in the metadata fails, saying what it holds', async () => {
    const result = await against({ metadata: completeMetadata('https://impostor.example', server.jwksUri) });
    expect(result.code).toBe(1);
    expect(line(result, 'Issuer metadata reachable')).toContain('"issuer" is "https://impostor.example"');
  });

  it('O-doctor-9 metadata without jwks_uri fails the JWKS line (and only it)', async () => {
    const { jwks_uri: _jwks, ...metadata } = completeMetadata(server.url, server.jwksUri);
    const result = await against({ metadata });
    expect(result.code).toBe(1);
    expect(line(result, 'Issuer metadata reachable')).toMatch(/^✔ /);
    expect(line(result, 'JWKS advertised')).toMatch(/^✘ .*"jwks_uri" is missing/);
    expect(line(result, 'PKCE S256')).toMatch(/^✔ /);
  });

  it('O-doctor-10 a JWKS with only an HMAC key fails: no key our algorithms accept', async () => {
    const secret = await exportJWK(await generateSecret('HS256', { extractable: true }));
    keyMaterial(secret);
    server.metadata = { json: completeMetadata(server.url, server.jwksUri) };
    server.jwks = { json: { keys: [{ ...secret, kid: 'hmac', alg: 'HS256' }] } };
    const result = await doctor(['doctor', '--issuer', server.url, '--metadata-url', server.metadataUrl, '--resource', resource]);
    expect(result.code).toBe(1);
    expect(line(result, 'JWKS reachable')).toMatch(/^✘ .*usable: none; not usable: kid "hmac" \(oct HS256\)/);
    expect(fixOf(result, 'JWKS reachable')).toContain('HMAC (oct) keys are never accepted');
  });

  it('O-doctor-11 no S256, no registration: warnings that name the fix, and still exit 0 (a guard needs neither)', async () => {
    const metadata: Record<string, unknown> = { ...completeMetadata(server.url, server.jwksUri), code_challenge_methods_supported: ['plain'] };
    delete metadata.registration_endpoint;
    const result = await against({ metadata });
    expect(result.code).toBe(0);
    expect(line(result, 'PKCE S256')).toMatch(/^⚠ .*\["plain"\]/);
    expect(fixOf(result, 'PKCE S256')).toContain('S256');
    expect(line(result, 'Client registration')).toMatch(/^⚠ /);
    expect(result.stdout).toContain('OK: everything the guard needs passes (2 warnings).');
  });

  it('O-doctor-12 CIMD counts as registration', async () => {
    const metadata: Record<string, unknown> = { ...completeMetadata(server.url, server.jwksUri), client_id_metadata_document_supported: true };
    delete metadata.registration_endpoint;
    const result = await against({ metadata });
    expect(line(result, 'Client registration')).toMatch(/^✔ .*Client ID Metadata Documents/);
  });

  it('O-doctor-13 protected_resources without ours warns; with ours passes', async () => {
    const without = await against({ metadata: { ...completeMetadata(server.url, server.jwksUri), protected_resources: ['http://127.0.0.1:3000/mcp/'] } });
    expect(line(without, 'protected_resources lists ours')).toMatch(/^⚠ .*does not list http:\/\/127\.0\.0\.1:3000\/mcp$/);
    const listed = await against({ metadata: { ...completeMetadata(server.url, server.jwksUri), protected_resources: [resource] } });
    expect(line(listed, 'protected_resources lists ours')).toMatch(/^✔ /);
  });

  it('O-doctor-14 --token-format opaque needs an introspection endpoint', async () => {
    const missing = await against({ args: ['--token-format', 'opaque'] });
    expect(missing.code).toBe(1);
    expect(line(missing, 'Introspection endpoint')).toMatch(/^✘ .*"introspection_endpoint" is missing/);
    expect(line(missing, 'JWKS')).toBe('');
    const present = await against({
      args: ['--token-format', 'opaque', '--token', 'opaque-token-value'],
      metadata: { ...completeMetadata(server.url, server.jwksUri), introspection_endpoint: `${server.url}/introspect` },
    });
    expect(present.code).toBe(0);
    expect(line(present, 'Introspection endpoint')).toMatch(/^✔ /);
    expect(line(present, 'Token (opaque)')).toMatch(/^⚠ /);
    expect(present.stdout).not.toContain('opaque-token-value');
  });

  it('O-doctor-15 a hanging metadata URL and an unreachable port each end in one line after the timeout', async () => {
    server.metadata = 'hang';
    const hanging = await doctor(['doctor', '--issuer', server.url, '--metadata-url', server.metadataUrl, '--resource', resource, '--timeout', '300']);
    expect(hanging.code).toBe(1);
    expect(line(hanging, 'Issuer metadata reachable')).toContain('no answer within 300 ms');
    const port = await freePort();
    const unreachable = await doctor(['doctor', '--issuer', `http://127.0.0.1:${port}`, '--resource', resource, '--timeout', '300']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout.split('\n').filter((text) => text.startsWith('✘'))).toHaveLength(1);
    expect(unreachable.stderr).toBe('');
  });

  it('O-doctor-16 a hanging JWKS fails the JWKS line after the timeout', async () => {
    server.metadata = { json: completeMetadata(server.url, server.jwksUri) };
    server.jwks = 'hang';
    const result = await doctor(['doctor', '--issuer', server.url, '--metadata-url', server.metadataUrl, '--resource', resource, '--timeout', '300']);
    expect(result.code).toBe(1);
    expect(line(result, 'JWKS reachable')).toContain('no answer within 300 ms');
  });

  it('O-doctor-17 Keycloak: a token without the resource audience fails, naming the Audience mapper', async () => {
    const issuer = 'http://127.0.0.1:8080/realms/demo';
    const token = await sign({ issuer, audience: 'account', claims: { azp: 'mcp-client' } });
    const result = await against({ issuer, args: ['--preset', 'keycloak', '--token', token] });
    expect(result.code).toBe(1);
    expect(line(result, 'Token aud accepted')).toMatch(/^✘ .*aud is \["account"\]/);
    expect(fixOf(result, 'Token aud accepted')).toContain('Audience mapper');
    expect(fixOf(result, 'Token aud accepted')).toContain(`Included Custom Audience = ${resource}`);
    expect(line(result, 'Token signature and key')).toMatch(/^✔ /);
  });

  it('O-doctor-18 Entra: a v1 token (sts.windows.net) when the v2.0 issuer is configured names accessTokenAcceptedVersion', async () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const issuer = `https://login.microsoftonline.com/${tenant}/v2.0`;
    const token = await sign({ issuer: `https://sts.windows.net/${tenant}/`, audience: resource, omit: ['scope'], claims: { scp: 'notes.read' } });
    const result = await against({ issuer, args: ['--preset', 'entra', '--token', token] });
    expect(result.code).toBe(1);
    expect(line(result, 'Token iss is the issuer')).toMatch(/^✘ .*sts\.windows\.net/);
    expect(fixOf(result, 'Token iss is the issuer')).toContain('accessTokenAcceptedVersion');
  });

  it('O-doctor-19 Entra: an api:// audience fails, naming the Application ID URI', async () => {
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const issuer = `https://login.microsoftonline.com/${tenant}/v2.0`;
    const token = await sign({ issuer, audience: 'api://5e7a1c2b-notes', omit: ['scope'], claims: { scp: 'notes.read' } });
    const result = await against({ issuer, args: ['--preset', 'entra', '--scope', 'notes.read', '--token', token] });
    expect(fixOf(result, 'Token aud accepted')).toContain('Application ID URI');
    expect(line(result, 'Token scopes')).toMatch(/^✔ .*granted: notes\.read/);
  });

  it('O-doctor-20 Auth0: a token for another API names the API identifier; RBAC permissions count as scopes only with the preset', async () => {
    const issuer = 'https://tenant.eu.auth0.com/';
    const token = await sign({ issuer, audience: 'https://api.example.com', scope: 'openid', claims: { permissions: ['read:notes'] } });
    const withPreset = await against({ issuer, args: ['--preset', 'auth0', '--scope', 'read:notes', '--token', token] });
    expect(fixOf(withPreset, 'Token aud accepted')).toContain('Identifier is exactly');
    expect(line(withPreset, 'Token scopes')).toMatch(/^✔ /);
    const withoutPreset = await against({ issuer, args: ['--scope', 'read:notes', '--token', token] });
    expect(line(withoutPreset, 'Token scopes')).toMatch(/^✘ .*missing: read:notes/);
  });

  it('O-doctor-21 Okta: api://default as audience names the authorization server Audience setting; scp array scopes', async () => {
    const issuer = 'https://dev-123.okta.com/oauth2/default';
    const token = await sign({ issuer, audience: 'api://default', omit: ['scope'], claims: { scp: ['read:notes'], cid: 'okta-client' } });
    const result = await against({ issuer, args: ['--preset', 'okta', '--scope', 'read:notes', '--token', token] });
    expect(fixOf(result, 'Token aud accepted')).toContain('Authorization Servers');
    expect(line(result, 'Token scopes')).toMatch(/^✔ /);
  });

  it('O-doctor-22 Cognito: an access token without aud names the pre-token-generation trigger', async () => {
    const issuer = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123';
    const token = await sign({ issuer, audience: 'unused', omit: ['aud'], claims: { client_id: 'cognito-client', token_use: 'access' } });
    const result = await against({ issuer, args: ['--preset', 'cognito', '--token', token] });
    expect(line(result, 'Token aud accepted')).toMatch(/^✘ .*no aud claim/);
    expect(fixOf(result, 'Token aud accepted')).toContain('pre-token-generation');
  });

  it('O-doctor-23 an expired token fails exp; a JWT typ fails the strict policy', async () => {
    const expired = await sign({ issuer: server.url, audience: resource, expiresIn: -3600, header: { typ: 'JWT' } });
    const result = await against({ args: ['--typ', 'strict', '--token', expired] });
    expect(result.code).toBe(1);
    expect(line(result, 'Token exp / nbf / iat')).toMatch(/^✘ Token exp \/ nbf \/ iat: The token has expired \(exp 60 min ago\)/);
    expect(line(result, 'Token typ (strict)')).toMatch(/^✘ Token typ \(strict\): typ "JWT"/);
    const lenient = await against({ args: ['--token', expired] });
    expect(line(lenient, 'Token typ (lenient)')).toMatch(/^✔ /);
  });

  it('O-doctor-24 a token signed with a key the issuer does not publish fails signature and key', async () => {
    const stranger = await createSigningKey('RS256');
    const token = await signAccessToken(stranger, { issuer: server.url, audience: resource });
    remember(token);
    const result = await against({ args: ['--token', token] });
    expect(result.code).toBe(1);
    expect(line(result, 'Token signature and key')).toMatch(/^✘ Token signature and key: No key of the issuer matches the token header/);
    expect(line(result, "Guard's verifier")).toMatch(/^✘ /);
  });

  it('O-doctor-25 an HS256 token and a non-JWT are refused before any key is fetched', async () => {
    const hmac = await against({ args: ['--token', 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJlc2ln'] });
    expect(line(hmac, 'Token algorithm accepted')).toMatch(/^✘ Token algorithm accepted: alg is "HS256"/);
    expect(line(hmac, 'Token signature and key')).toBe('');
    const garbage = await against({ args: ['--token', 'not-a-jwt'] });
    expect(line(garbage, 'Token is a signed JWT')).toMatch(/^✘ /);
  });

  it('O-doctor-31 asks this server for nothing but the metadata URL and the JWKS it names', () => {
    expect(new Set(server.requests)).toEqual(new Set(['/metadata', '/jwks']));
  });
});

describe('doctor called wrongly', () => {
  it.each([
    [['doctor'], '--issuer is required'],
    [['doctor', '--issuer', 'https://as.example.com'], 'at least one --resource is required'],
    [['doctor', '--issuer', 'not a url', '--resource', resource], '--issuer is not a URL'],
    [['doctor', '--issuer', 'http://as.example.com', '--resource', resource], 'must use https'],
    [['doctor', '--issuer', 'https://as.example.com', '--resource', resource, '--preset', 'ping'], '--preset must be one of'],
    [['doctor', '--issuer', 'https://as.example.com', '--resource', resource, '--token-file', '/nonexistent/token'], 'cannot read --token-file /nonexistent/token (ENOENT)'],
    [['doctor', '--bogus'], 'Unknown argument: --bogus'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('O-doctor-26 %j exits 2 with one line and the usage', async (args, message) => {
    const result = await doctor(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^nestjs-mcp-auth doctor: /);
    expect(result.stderr.split('\n')[0]).toContain(message);
    expect(result.stderr).toContain('Usage: nestjs-mcp-auth doctor');
    expect(result.stdout).toBe('');
  });

  it('O-doctor-27 --json with bad arguments still prints a JSON document; --help prints the usage and exits 0', async () => {
    const bad = await doctor(['doctor', '--json']);
    expect(JSON.parse(bad.stdout)).toEqual({ ok: false, error: '--issuer is required' });
    const help = await doctor(['doctor', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--token-file <path>');
  });
});

// The command as `npx nestjs-mcp-auth doctor` starts it: the built bin in a process of its own, which must
// print the same report, exit with its code, and end by itself (no socket or timer left keeping it alive).
describe('the built bin (node dist/bin/nestjs-mcp-auth.js)', () => {
  let as: DevAuthorizationServer;
  let server: MetadataServer;

  beforeAll(async () => {
    await run('npm', ['run', 'build'], { cwd: REPOSITORY_ROOT });
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    server = await startMetadataServer();
  }, 180_000);
  afterAll(async () => {
    await as?.close();
    await server?.close();
  });

  it('O-doctor-28 passes a real token read from stdin, exits 0, and never prints it', async () => {
    const { access_token } = await clientCredentialsToken(as, { resource, scope: 'read:notes' });
    const result = await runBuiltDoctor(['doctor', '--issuer', as.issuer, '--resource', resource, '--scope', 'read:notes', '--token', '-'], access_token);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✔ Guard's verifier accepts the token");
    expect(result.stdout).not.toContain(access_token);
    expect(result.stdout).not.toContain('[Nest]'); // the library's discovery log stays out of the report
  });

  it('O-doctor-29 a hanging server ends in one line after --timeout, exit 1, no stack trace', async () => {
    server.metadata = 'hang';
    const result = await runBuiltDoctor(['doctor', '--issuer', server.url, '--metadata-url', server.metadataUrl, '--resource', resource, '--timeout', '300']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no answer within 300 ms');
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('O-doctor-30 bad arguments exit 2 with the usage', async () => {
    const result = await runBuiltDoctor(['doctor', '--resource', resource]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nestjs-mcp-auth doctor: --issuer is required\n\nUsage: /);
  });
});
