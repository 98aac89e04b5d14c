import type { KeySetHealth } from '../verification/issuer-key-sets.js';

/** How one trusted authorization server stands, as a health check reports it. */
export interface AuthorizationServerHealth {
  status: 'up' | 'down';
  /** Discovery of its metadata: done, under way, or failed (and retried on first use). */
  discovery: 'ready' | 'pending' | 'failed';
  /** Its signing keys, for resources that verify its JWTs: `not-used` when none does (introspection only). */
  keys: 'fresh' | 'stale' | 'failing' | 'not-fetched' | 'not-used';
  /** When its keys were last fetched, ISO 8601. */
  keysFetchedAt?: string;
  /** Why it is down: our own wording, never a response body. */
  reason?: string;
}

/** What the registry and the key sets know about one issuer, without asking it anything. */
export interface AuthorizationServerState {
  discovery: 'ready' | 'pending' | 'failed';
  discoveryError?: string;
  /** Whether some resource verifies this issuer's JWTs with its keys. */
  usesKeys: boolean;
  keys: KeySetHealth | undefined;
}

/**
 * Up when the server is discovered and, where its keys are used, the last fetch of them succeeded (a stale
 * set that still fetches fine is up: jose refreshes it on use). Down with the reason otherwise.
 */
export function assessAuthorizationServer(state: AuthorizationServerState): AuthorizationServerHealth {
  const keysFetchedAt = state.keys?.lastFetchedAt === undefined ? undefined : new Date(state.keys.lastFetchedAt).toISOString();
  if (state.discovery !== 'ready') {
    const reason = state.discovery === 'pending' ? 'Discovery is under way' : `Discovery failed: ${state.discoveryError ?? 'unknown'}`;
    return { status: 'down', discovery: state.discovery, keys: state.usesKeys ? 'not-fetched' : 'not-used', reason };
  }
  if (!state.usesKeys) return { status: 'up', discovery: 'ready', keys: 'not-used' };
  const { keys } = state;
  if (keysAreFailing(keys)) return { status: 'down', discovery: 'ready', keys: 'failing', keysFetchedAt, reason: `The JWKS could not be fetched (${keys!.lastError!.reason})` };
  if (keys?.lastFetchedAt === undefined) return { status: 'down', discovery: 'ready', keys: 'not-fetched', reason: 'The JWKS has not been fetched yet' };
  return { status: 'up', discovery: 'ready', keys: keys.fresh ? 'fresh' : 'stale', keysFetchedAt };
}

/** Whether the last fetch of a key set failed (no success since). */
export function keysAreFailing(keys: KeySetHealth | undefined): boolean {
  return keys?.lastError !== undefined && (keys.lastFetchedAt === undefined || keys.lastError.at >= keys.lastFetchedAt);
}
