import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';

/**
 * A DPoP client's key and the proofs it signs (RFC 9449 §4.2): ES256, `typ: dpop+jwt`, the public `jwk` in the
 * header, a fresh `jti` and `iat`, `htm`/`htu` of the request and `ath` of the token. node:crypto signs
 * synchronously (no WebCrypto round trip per proof), and the header and `ath` are encoded once.
 */
export class DpopProofSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly encodedHeader: string,
    /** The public key proofs carry in their `jwk` header. */
    readonly publicJwk: JWK,
    /** RFC 7638 thumbprint of the public key: what a token bound to it carries as `cnf.jkt`. */
    readonly thumbprint: string,
  ) {}

  static async create(): Promise<DpopProofSigner> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
    const jwk = { kty, crv, x, y } as JWK;
    // jose computes the thumbprint, not our library: the token binds to what an independent client would send.
    const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
    const header = Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk })).toString('base64url');
    return new DpopProofSigner(privateKey, header, jwk, thumbprint);
  }

  /** Proofs for one method, URL and token; `iat` is read when each is signed. */
  forRequest(method: string, url: string, accessToken: string): (claims?: Record<string, unknown>) => string {
    const ath = createHash('sha256').update(accessToken, 'ascii').digest('base64url');
    return (claims) => {
      const payload = { jti: randomUUID(), htm: method, htu: url, iat: Math.floor(Date.now() / 1000), ath, ...claims };
      const signingInput = `${this.encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      const signature = sign('sha256', Buffer.from(signingInput), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
      return `${signingInput}.${signature.toString('base64url')}`;
    };
  }
}
