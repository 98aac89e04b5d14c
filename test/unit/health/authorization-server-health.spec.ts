import { describe, expect, it } from 'vitest';
import { assessAuthorizationServer } from '../../../lib/health/authorization-server-health.js';

const at = Date.UTC(2026, 11, 3, 8, 0, 0);

describe('assessAuthorizationServer', () => {
  it('up when discovered and the last key fetch worked, fresh or stale', () => {
    expect(assessAuthorizationServer({ discovery: 'ready', usesKeys: true, keys: { lastFetchedAt: at, fresh: true } })).toEqual({
      status: 'up',
      discovery: 'ready',
      keys: 'fresh',
      keysFetchedAt: '2026-12-03T08:00:00.000Z',
    });
    expect(assessAuthorizationServer({ discovery: 'ready', usesKeys: true, keys: { lastFetchedAt: at, fresh: false } }).keys).toBe('stale');
    expect(assessAuthorizationServer({ discovery: 'ready', usesKeys: false, keys: undefined })).toEqual({ status: 'up', discovery: 'ready', keys: 'not-used' });
  });

  it('down while discovery is under way or failed, with the reason', () => {
    expect(assessAuthorizationServer({ discovery: 'pending', usesKeys: true, keys: undefined })).toMatchObject({ status: 'down', reason: 'Discovery is under way' });
    expect(assessAuthorizationServer({ discovery: 'failed', discoveryError: 'ECONNREFUSED', usesKeys: false, keys: undefined })).toMatchObject({
      status: 'down',
      keys: 'not-used',
      reason: 'Discovery failed: ECONNREFUSED',
    });
  });

  it('down when the last key fetch failed after the last success, up again once one succeeds after it', () => {
    const failing = { lastFetchedAt: at, lastError: { at: at + 1, reason: 'ECONNREFUSED' }, fresh: false };
    expect(assessAuthorizationServer({ discovery: 'ready', usesKeys: true, keys: failing })).toMatchObject({
      status: 'down',
      keys: 'failing',
      reason: 'The JWKS could not be fetched (ECONNREFUSED)',
    });
    expect(assessAuthorizationServer({ discovery: 'ready', usesKeys: true, keys: { ...failing, lastFetchedAt: at + 2 } }).status).toBe('up');
    expect(assessAuthorizationServer({ discovery: 'ready', usesKeys: true, keys: { fresh: false } })).toMatchObject({ status: 'down', keys: 'not-fetched' });
  });
});
