import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

// Models whose records belong to a grant and must disappear when the grant is revoked
// (for example when a rotated refresh token is replayed).
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/**
 * A per-server in-memory storage for oidc-provider.
 *
 * oidc-provider ships an equivalent one, but using it prints a "development-only adapter"
 * warning on every start, and its store is module-global, so two servers in one test process
 * would share clients and sessions. This one is scoped to a single server instance and is
 * garbage-collected with it.
 */
// oidc-provider's Adapter interface is promise-based; an in-memory store has nothing to await.
/* eslint-disable @typescript-eslint/require-await */
export function createMemoryAdapterFactory(): AdapterFactory {
  const records = new Map<string, Entry>();
  const grantMembers = new Map<string, Set<string>>();
  const sessionUidIndex = new Map<string, string>();
  const userCodeIndex = new Map<string, string>();

  const live = (key: string): AdapterPayload | undefined => {
    const entry = records.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      records.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): Adapter => {
    const keyFor = (id: string): string => `${model}:${id}`;

    return {
      async upsert(id, payload, expiresIn) {
        const key = keyFor(id);
        records.set(key, {
          payload,
          expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : undefined,
        });
        if (model === 'Session' && payload.uid !== undefined) sessionUidIndex.set(payload.uid, id);
        if (payload.userCode !== undefined) userCodeIndex.set(payload.userCode, id);
        if (GRANTABLE.has(model) && payload.grantId !== undefined) {
          const members = grantMembers.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          grantMembers.set(payload.grantId, members);
        }
      },
      async find(id) {
        return live(keyFor(id));
      },
      async findByUid(uid) {
        const id = sessionUidIndex.get(uid);
        return id === undefined ? undefined : live(keyFor(id));
      },
      async findByUserCode(userCode) {
        const id = userCodeIndex.get(userCode);
        return id === undefined ? undefined : live(keyFor(id));
      },
      async consume(id) {
        const payload = live(keyFor(id));
        // oidc-provider detects replays (codes, rotated refresh tokens) through this timestamp.
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        records.delete(keyFor(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of grantMembers.get(grantId) ?? []) records.delete(key);
        grantMembers.delete(grantId);
      },
    };
  };
}
