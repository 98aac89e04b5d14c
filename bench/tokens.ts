import { createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../test/fixtures/token-signer.js';
import { BENCH_SCOPE, type KeyFile } from './protocol.js';

export { createSigningKey, type TestSigningKey };

/** Bench tokens outlive any run: an entry of the verified-token cache is then bounded by its TTL, not by `exp`. */
const TOKEN_LIFETIME_SECONDS = 2 * 60 * 60;

/** A valid RFC 9068 access token for the bench resource; `n` makes it distinct (subject and jti). */
export function mintAccessToken(key: TestSigningKey, issuer: string, audience: string, n = 0): Promise<string> {
  return signAccessToken(key, {
    issuer,
    audience,
    scope: BENCH_SCOPE,
    expiresIn: TOKEN_LIFETIME_SECONDS,
    claims: { sub: `bench-user-${n}`, client_id: 'bench-client' },
  });
}

/**
 * A valid access token bound to a DPoP key (RFC 9449 §6.1: `cnf.jkt` = the key's RFC 7638 thumbprint), for
 * the DPoP resource; otherwise like {@link mintAccessToken}.
 */
export function mintDpopBoundToken(key: TestSigningKey, issuer: string, audience: string, thumbprint: string): Promise<string> {
  return signAccessToken(key, {
    issuer,
    audience,
    scope: BENCH_SCOPE,
    expiresIn: TOKEN_LIFETIME_SECONDS,
    claims: { sub: 'bench-dpop-user', client_id: 'bench-client', cnf: { jkt: thumbprint } },
  });
}

/** `count` distinct valid tokens, signed `concurrency` at a time (WebCrypto signs off the main thread). */
export async function mintTokenPool(
  key: TestSigningKey,
  issuer: string,
  audience: string,
  count: number,
  concurrency = 64,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const size = Math.min(concurrency, count - start);
    tokens.push(...(await Promise.all(Array.from({ length: size }, (_, i) => mintAccessToken(key, issuer, audience, start + i)))));
  }
  return tokens;
}

/**
 * Tokens every protected variant must refuse, each with the status a standards-exact resource server
 * answers. The preflight runs them against every route to show that each peer is configured to check
 * what we check before its speed is compared with ours.
 */
export async function mintRefusedTokens(
  key: TestSigningKey,
  issuer: string,
  audience: string,
): Promise<Array<{ name: string; token: string | undefined; expected: number }>> {
  const now = Math.floor(Date.now() / 1000);
  const base = { issuer, audience, scope: BENCH_SCOPE };
  const valid = await signAccessToken(key, base);
  return [
    { name: 'no token', token: undefined, expected: 401 },
    { name: 'bad signature', token: tamperSignature(valid), expected: 401 },
    { name: 'wrong audience', token: await signAccessToken(key, { ...base, audience: 'https://other.bench.test/mcp' }), expected: 401 },
    { name: 'untrusted issuer', token: await signAccessToken(key, { ...base, issuer: 'https://evil.bench.test' }), expected: 401 },
    { name: 'expired', token: await signAccessToken(key, { ...base, expiresIn: -3600, claims: { iat: now - 7200 } }), expected: 401 },
    { name: 'no exp', token: await signAccessToken(key, { ...base, omit: ['exp'] }), expected: 401 },
    { name: 'alg none', token: unsignedCopy(valid), expected: 401 },
    { name: 'missing scope', token: await signAccessToken(key, { ...base, scope: 'write:notes' }), expected: 403 },
  ];
}

/** Flips one character in the middle of the signature (the last one may only hold padding bits). */
export function tamperSignature(token: string): string {
  const signatureStart = token.lastIndexOf('.') + 1;
  const at = signatureStart + Math.floor((token.length - signatureStart) / 2);
  const replacement = token[at] === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${replacement}${token.slice(at + 1)}`;
}

/** The same claims with `alg: none` and no signature. */
function unsignedCopy(token: string): string {
  const [, payload] = token.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
  return `${header}.${payload}.`;
}

/** What a child process needs to mint its own tokens with a run's key. */
export function keyFileOf(key: TestSigningKey, issuer: string): KeyFile {
  return { issuer, privateJwk: key.privateJwk, kid: key.kid, alg: key.alg };
}

/**
 * A synchronous signer for the memory test, which needs a million valid tokens and where jose's async
 * WebCrypto signing would dominate the run time: node:crypto signs ES256 in about 40 µs. The tokens are
 * ordinary compact JWS, verified like any other.
 */
export function createSyncSigner(file: KeyFile): (claims: Record<string, unknown>) => string {
  const key = createPrivateKey({ key: file.privateJwk as JsonWebKey, format: 'jwk' });
  const header = Buffer.from(JSON.stringify({ alg: file.alg, kid: file.kid, typ: 'at+jwt' })).toString('base64url');
  const signOptions = file.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : { key };
  return (claims) => {
    const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${signingInput}.${sign('sha256', Buffer.from(signingInput), signOptions).toString('base64url')}`;
  };
}
