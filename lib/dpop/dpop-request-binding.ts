import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BoundedTtlMap } from '../common/bounded-ttl-map.js';
import { InvalidDpopProofFailure, InvalidTokenFailure } from '../errors/authentication-failures.js';
import { headerValues, requestMethod, requestPath, type HttpRequestLike } from '../http/request-access.js';
import type { DpopMode } from '../options/mcp-auth-options.interface.js';
import type { ResolvedProtectedResource } from '../options/resolved-options.js';
import { McpAuthStore } from '../store/mcp-auth-store.js';
import type { AuthInfo } from '../verification/auth-info.interface.js';
import { DpopNonces } from './dpop-nonce.js';
import { checkDpopProof, withoutQueryAndFragment } from './dpop-proof.js';
import { useProofOnce } from './dpop-replay.js';

/** The scheme a request presented its token with. */
export type TokenScheme = 'Bearer' | 'DPoP';

/** Whether a resource whose DPoP mode is `mode` accepts tokens presented with `scheme`. */
export function acceptsScheme(mode: DpopMode, scheme: TokenScheme): boolean {
  return scheme === 'Bearer' ? mode !== 'required' : mode !== 'off';
}

/** RFC 9449 §7.2: a DPoP-bound token presented as Bearer is refused, whatever the resource's mode. */
export function refuseBoundTokenAsBearer(auth: AuthInfo): void {
  if (auth.dpopThumbprint !== undefined) throw new InvalidTokenFailure('A DPoP-bound access token was presented as a Bearer token');
}

/**
 * Holds a verified token to the key it is bound to (RFC 9449 §7): a DPoP-bound token (`cnf.jkt`) counts only
 * with one valid proof by that key, never as Bearer; a token sent with the `DPoP` scheme must be bound.
 * Every proof is checked against the request, its `htu` against the configured resource identifier (never
 * `Host` or `X-Forwarded-*`, §11.2), and used once across instances through `McpAuthStore`.
 */
@Injectable()
export class DpopRequestBinding {
  private readonly nonces = new WeakMap<ResolvedProtectedResource, DpopNonces>();
  // Clients sign every proof with one key: it is imported once, not per request (bounded: keys are client-chosen).
  private readonly keys = new BoundedTtlMap<string, KeyObject>(10_000);

  constructor(private readonly store: McpAuthStore) {}

  /** A fresh nonce for the resource's `DPoP-Nonce` header, when it requires nonces. */
  nonceFor(resource: ResolvedProtectedResource, nowSeconds = Date.now() / 1000): string | undefined {
    return this.noncesOf(resource)?.issue(nowSeconds);
  }

  /**
   * Resolves when the request's one DPoP proof is valid for it and signed by the key `auth`'s token is bound
   * to, and has not been used before; rejects with the failure otherwise. (A Bearer request needs no proof:
   * {@link refuseBoundTokenAsBearer} answers it synchronously.)
   */
  async bindProof(request: HttpRequestLike, auth: AuthInfo, resource: ResolvedProtectedResource): Promise<void> {
    const proofs = headerValues(request, 'dpop');
    if (proofs.length !== 1) throw new InvalidDpopProofFailure(`Expected exactly one DPoP header, got ${proofs.length}`);
    const policy = resource.dpop;
    const nowSeconds = Date.now() / 1000;
    const nonces = this.noncesOf(resource);
    const proof = await checkDpopProof(proofs[0]!, {
      method: requestMethod(request),
      url: withoutQueryAndFragment(new URL(requestPath(request), resource.resourceUrl.origin).href)!,
      accessToken: auth.token,
      algorithms: policy.algorithms,
      nowSeconds,
      maxAgeSeconds: policy.proofMaxAgeSeconds,
      isValidNonce: nonces && ((nonce) => nonces.isValid(nonce, nowSeconds)),
      keys: this.keys,
    });
    if (auth.dpopThumbprint === undefined) throw new InvalidTokenFailure('The access token presented with the DPoP scheme is not DPoP-bound');
    if (proof.thumbprint !== auth.dpopThumbprint) throw new InvalidDpopProofFailure('The DPoP proof is signed by another key than the token is bound to');
    await useProofOnce(this.store, proof.thumbprint, proof.jti, 2 * policy.proofMaxAgeSeconds * 1000);
  }

  private noncesOf(resource: ResolvedProtectedResource): DpopNonces | undefined {
    const nonce = resource.dpop.nonce;
    if (!nonce) return undefined;
    let nonces = this.nonces.get(resource);
    if (!nonces) this.nonces.set(resource, (nonces = new DpopNonces(nonce.secret, nonce.lifetimeSeconds)));
    return nonces;
  }
}
