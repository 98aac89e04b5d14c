import { DpopProofSigner } from './dpop-proofs.js';

/** One request the DPoP route must answer with `expected` before its speed means anything. */
export interface DpopPreflightCase {
  name: string;
  headers: Record<string, string>;
  expected: number;
}

export interface DpopPreflightTokens {
  /** The client's key, the one `bound` is bound to. */
  signer: DpopProofSigner;
  /** The variant's DPoP-bound token (`cnf.jkt` = the signer's thumbprint). */
  bound: string;
  /** A valid token for the same resource without `cnf`. */
  unbound: string;
  /** The URL every proof must name (the configured resource identifier). */
  htu: string;
  /** The URL the request really goes to (loopback): what a proof that trusted `Host` would name. */
  requestUrl: string;
}

/**
 * The DPoP route's own preflight, run in order (the replay case resends the first case's proof): the valid
 * request the variant sends, then the defects RFC 9449 §4.3 and §7 say to refuse, each built from the same
 * bound token so that only the named defect differs. The run stops if the guard accepts one of them.
 */
export async function dpopPreflightCases(tokens: DpopPreflightTokens): Promise<DpopPreflightCase[]> {
  const { signer, bound, unbound, htu, requestUrl } = tokens;
  const proofFor = signer.forRequest('GET', htu, bound);
  const first = proofFor();
  const otherKey = await DpopProofSigner.create();
  const now = Math.floor(Date.now() / 1000);
  const dpop = (token: string, proof: string) => ({ authorization: `DPoP ${token}`, dpop: proof });
  return [
    { name: 'DPoP-bound token + fresh proof (what the variant sends)', headers: dpop(bound, first), expected: 200 },
    { name: 'the same proof again (jti replay)', headers: dpop(bound, first), expected: 401 },
    { name: 'DPoP-bound token as Bearer', headers: { authorization: `Bearer ${bound}` }, expected: 401 },
    { name: 'DPoP scheme without a proof', headers: { authorization: `DPoP ${bound}` }, expected: 401 },
    { name: 'proof by another key than cnf.jkt', headers: dpop(bound, otherKey.forRequest('GET', htu, bound)()), expected: 401 },
    { name: 'proof for another token (ath)', headers: dpop(bound, signer.forRequest('GET', htu, unbound)()), expected: 401 },
    { name: 'proof naming the loopback URL (htu from Host)', headers: dpop(bound, signer.forRequest('GET', requestUrl, bound)()), expected: 401 },
    { name: 'proof for POST (htm)', headers: dpop(bound, signer.forRequest('POST', htu, bound)()), expected: 401 },
    { name: 'proof signed 10 minutes ago (iat)', headers: dpop(bound, proofFor({ iat: now - 600 })), expected: 401 },
    { name: 'unbound token with the DPoP scheme', headers: dpop(unbound, signer.forRequest('GET', htu, unbound)()), expected: 401 },
    { name: "unbound token as Bearer (dpop: 'allowed')", headers: { authorization: `Bearer ${unbound}` }, expected: 200 },
  ];
}
