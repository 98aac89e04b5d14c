import { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors } from 'jose';
import type { MaybePromise } from '../common/maybe-promise.js';
import { networkErrorCode } from '../common/network-error-reason.js';
import { AuthorizationServerUnavailableFailure, InvalidTokenFailure } from '../errors/authentication-failures.js';
import { keyFitsAlgorithm } from './jws-signature.js';

/** jose's remote JWKS: fetching, caching, refetch cooldown and key selection by the token header. */
type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>;

/** The header parameters that choose a key. */
export interface KeySelector {
  alg: string;
  kid?: string;
}

export interface KeySetOptions {
  timeoutMs: number;
  cooldownSeconds: number;
  cacheMaxAgeSeconds: number;
  /** After a failed JWKS fetch, answer 503 without refetching for this long, so an outage isn't amplified. */
  failureBackoffSeconds: number;
  /** Most key sets held; the least recently created goes first. Default: no limit. */
  maxIssuers?: number;
}

interface KeySetEntry {
  jwksUri: string;
  resolver: RemoteKeySet;
  failedUntil: number;
  /** Keys jose resolved, by `alg` and `kid`, valid while `generation` is unchanged and the set is fresh. */
  resolved: Map<string, { key: KeyObject; generation: number }>;
  /** Bumped after every lookup that may have reloaded the set, invalidating everything resolved before. */
  generation: number;
  /** How the last fetches of the set went, for health checks. */
  health: Omit<KeySetHealth, 'fresh'>;
}

/** What is known about an issuer's key set without fetching it: for health checks. */
export interface KeySetHealth {
  /** When the set was last fetched successfully (ms since the epoch). */
  lastFetchedAt?: number;
  /** The last failed fetch, if it came after the last success. */
  lastError?: { at: number; reason: string };
  /** Whether the cached set is younger than `cacheMaxAgeSeconds`. */
  fresh: boolean;
}

/**
 * One remote JWKS per trusted issuer, created from the `jwks_uri` of its validated metadata and never from
 * anything in a token (`jku`, `x5u` and embedded `jwk` are ignored: RFC 8725 §3.10). jose caches the set,
 * refetches on an unknown `kid` at most once per cooldown (T14), and single-flights concurrent fetches.
 * A fetch that fails is an outage (503), not an invalid token.
 *
 * On top of jose, a key it resolved is converted once to a Node `KeyObject` (what the signature check
 * uses), checked to fit the algorithm, and remembered by `alg` and `kid`; it is handed back synchronously
 * while the set is fresh and has not been reloaded since: a new token then costs only its signature check.
 */
export class IssuerKeySets {
  private readonly keySets = new Map<string, KeySetEntry>();

  constructor(private readonly options: KeySetOptions) {}

  /**
   * The issuer's key for a token header: synchronously when already resolved, otherwise through jose.
   * A key that does not fit the algorithm, or none at all, is an {@link InvalidTokenFailure}; a fetch
   * failure an {@link AuthorizationServerUnavailableFailure}.
   */
  keyFor(issuer: string, jwksUri: string, header: KeySelector): MaybePromise<KeyObject> {
    const entry = this.entryFor(issuer, jwksUri);
    const slot = slotFor(header);
    const resolved = entry.resolved.get(slot);
    if (resolved && resolved.generation === entry.generation && entry.resolver.fresh) return resolved.key;
    return this.resolveThroughJose(issuer, entry, slot, header);
  }

  private async resolveThroughJose(issuer: string, entry: KeySetEntry, slot: string, header: KeySelector): Promise<KeyObject> {
    if (Date.now() < entry.failedUntil && !entry.resolver.fresh) {
      throw new AuthorizationServerUnavailableFailure(`The JWKS of ${issuer} failed recently; not refetching yet`);
    }
    // jose reloads the set only when it is stale, or for an unknown kid once the cooldown is over.
    const mayReload = !entry.resolver.fresh || !entry.resolver.coolingDown;
    const startedAt = entry.generation;
    let resolved: Awaited<ReturnType<RemoteKeySet>>;
    try {
      resolved = await entry.resolver({ alg: header.alg, kid: header.kid });
      if (mayReload) {
        this.invalidateResolved(entry);
        entry.health = { lastFetchedAt: Date.now() };
      }
    } catch (error) {
      if (mayReload) this.invalidateResolved(entry);
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
        throw new InvalidTokenFailure('No key of the issuer matches the token header');
      }
      entry.failedUntil = Date.now() + this.options.failureBackoffSeconds * 1000;
      entry.health = { ...entry.health, lastError: { at: Date.now(), reason: describe(error) } };
      throw new AuthorizationServerUnavailableFailure(`The JWKS of ${issuer} could not be fetched (${describe(error)})`);
    }
    // jose picked the key by type and curve; the size (RSA ≥ 2048 bits) is checked here, once per key.
    const key = KeyObject.from(resolved);
    if (!keyFitsAlgorithm(header.alg, key)) throw new InvalidTokenFailure('The issuer key does not fit the token algorithm');
    // A lookup that overlapped a reload may have used the old set: only remember what is current.
    if (mayReload || entry.generation === startedAt) entry.resolved.set(slot, { key, generation: entry.generation });
    return key;
  }

  /** Fetches an issuer's keys ahead of the first request. Best-effort: returns whether it worked. */
  async prefetch(issuer: string, jwksUri: string): Promise<boolean> {
    const entry = this.entryFor(issuer, jwksUri);
    try {
      await entry.resolver.reload();
      entry.health = { lastFetchedAt: Date.now() };
      return true;
    } catch (error) {
      entry.health = { ...entry.health, lastError: { at: Date.now(), reason: describe(error) } };
      return false;
    } finally {
      this.invalidateResolved(entry);
    }
  }

  /** How the issuer's key set stands, from what the last fetches found; `undefined` before any use. Never fetches. */
  health(issuer: string): KeySetHealth | undefined {
    const entry = this.keySets.get(issuer);
    if (!entry) return undefined;
    return { ...entry.health, fresh: entry.resolver.fresh };
  }

  /** Forgets every remembered key: the set may have changed. */
  private invalidateResolved(entry: KeySetEntry): void {
    entry.generation++;
    entry.resolved.clear();
  }

  private entryFor(issuer: string, jwksUri: string) {
    let entry = this.keySets.get(issuer);
    if (!entry || entry.jwksUri !== jwksUri) {
      entry = {
        jwksUri,
        failedUntil: 0,
        resolved: new Map(),
        generation: 0,
        health: {},
        resolver: createRemoteJWKSet(new URL(jwksUri), {
          timeoutDuration: this.options.timeoutMs,
          cooldownDuration: this.options.cooldownSeconds * 1000,
          cacheMaxAge: this.options.cacheMaxAgeSeconds * 1000,
        }),
      };
      this.keySets.delete(issuer);
      if (this.keySets.size >= (this.options.maxIssuers ?? Infinity)) this.keySets.delete(this.keySets.keys().next().value!);
      this.keySets.set(issuer, entry);
    }
    return entry;
  }
}

/**
 * Where a resolved key is remembered: by `alg`, and by `kid` when the header has one. An absent `kid` and
 * `kid: ""` are different lookups (T18): jose matches the first against every key of the algorithm's type
 * (and refuses when several match) and the second only against a key published with `kid: ""`, so they
 * must never share a slot — or one would be answered with the key the other resolved.
 */
function slotFor(header: KeySelector): string {
  return header.kid === undefined ? header.alg : `${header.alg}\u0000${header.kid}`;
}

/** A short, safe reason for logs: jose's error code or the network error code, never a response body. */
function describe(error: unknown): string {
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC' ? error.message : error.code;
  return networkErrorCode(error);
}
