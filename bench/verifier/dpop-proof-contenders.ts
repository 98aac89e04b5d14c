import { createPublicKey, type KeyObject } from 'node:crypto';
import { BoundedTtlMap } from '../../lib/common/bounded-ttl-map.js';
import { checkDpopProof, type DpopProofExpectations } from '../../lib/dpop/dpop-proof.js';
import { useProofOnce } from '../../lib/dpop/dpop-replay.js';
import { InMemoryMcpAuthStore } from '../../lib/index.js';
import { verifyJwsSignature } from '../../lib/verification/jws-signature.js';
import { DPOP_PROOF_MAX_AGE_SECONDS } from '../bench-module-options.js';
import { DpopProofSigner } from '../dpop-proofs.js';

// What checking one DPoP proof costs, in the micro-benchmark's terms (one operation = one fresh ES256 proof,
// signed before the clock starts). The DPoP load variant adds these to a reused token's request:
// - dpop-signature-only: the proof's ES256 signature check alone, as our guard runs it (Node's crypto.verify
//                        on the thread pool, the key already imported): the floor of any proof check.
// - dpop-key-import:     decoding the proof's header and importing its jwk (createPublicKey): what the guard
//                        saves by keeping a client's imported key (by thumbprint) for its next proofs.
// - dpop-proof-check:    our whole proof check (RFC 9449 §4.3) as the guard runs it, with its key cache: decode,
//                        typ/alg/jwk checks, the RFC 7638 thumbprint, the signature, htm/htu/iat/ath.
// - dpop-proof-replay:   the same plus the jti marker written to the default in-memory McpAuthStore: all
//                        the guard does for a proof.

type Contender = [name: string, verify: (proof: string) => Promise<unknown>, nextProof: () => string];

/** The contenders' names, in the order the report lists them. */
export const DPOP_CONTENDERS = ['dpop-signature-only', 'dpop-key-import', 'dpop-proof-check', 'dpop-proof-replay'] as const;

export async function dpopProofContenders(resource: string, accessToken: string): Promise<Contender[]> {
  const signer = await DpopProofSigner.create();
  const nextProof = signer.forRequest('GET', resource, accessToken);
  const publicKey = createPublicKey({ key: signer.publicJwk as never, format: 'jwk' });
  const store = new InMemoryMcpAuthStore();
  // As DpopRequestBinding holds it: one client key, imported by the first proof and kept for the others.
  const keys = new BoundedTtlMap<string, KeyObject>(10_000);
  const expectations = (): DpopProofExpectations => ({
    method: 'GET',
    url: resource,
    accessToken,
    algorithms: ['ES256'],
    nowSeconds: Date.now() / 1000,
    maxAgeSeconds: DPOP_PROOF_MAX_AGE_SECONDS,
    keys,
  });
  return [
    ['dpop-signature-only', (proof) => signatureOnly(proof, publicKey), nextProof],
    ['dpop-key-import', (proof) => Promise.resolve(keyImport(proof)), nextProof],
    ['dpop-proof-check', (proof) => checkDpopProof(proof, expectations()), nextProof],
    [
      'dpop-proof-replay',
      async (proof) => {
        const checked = await checkDpopProof(proof, expectations());
        await useProofOnce(store, checked.thumbprint, checked.jti, 2 * DPOP_PROOF_MAX_AGE_SECONDS * 1000);
      },
      nextProof,
    ],
  ];
}

/** The proof's `jwk` header member as a KeyObject: JSON-decode the header, import the key. */
function keyImport(proof: string): ReturnType<typeof createPublicKey> {
  const header = JSON.parse(Buffer.from(proof.slice(0, proof.indexOf('.')), 'base64url').toString('utf8')) as { jwk: object };
  return createPublicKey({ key: header.jwk as never, format: 'jwk' });
}

/** The proof's ES256 signature check alone: split, decode the signature, verify on the thread pool. */
async function signatureOnly(proof: string, key: ReturnType<typeof createPublicKey>): Promise<boolean> {
  const end = proof.lastIndexOf('.');
  const valid = await verifyJwsSignature('ES256', key, Buffer.from(proof.slice(0, end), 'latin1'), Buffer.from(proof.slice(end + 1), 'base64url'));
  if (!valid) throw new Error('dpop-signature-only: a proof did not verify');
  return valid;
}
