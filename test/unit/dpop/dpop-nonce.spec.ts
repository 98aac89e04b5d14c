import { describe, expect, it } from 'vitest';
import { DpopNonces } from '../../../lib/dpop/dpop-nonce.js';

const secret = new TextEncoder().encode('a-nonce-secret-shared-by-every-instance');
const now = 1_800_000_000;

describe('DpopNonces', () => {
  it('K4: a nonce is valid on any instance with the same secret, for its lifetime', () => {
    const nonce = new DpopNonces(secret, 300).issue(now);
    const other = new DpopNonces(new Uint8Array(secret), 300);
    expect(other.isValid(nonce, now)).toBe(true);
    expect(other.isValid(nonce, now + 300)).toBe(true);
    expect(other.isValid(nonce, now + 301)).toBe(false);
    expect(other.isValid(nonce, now - 1)).toBe(false);
  });

  it('K4: a nonce of another secret, a tampered one, or no nonce is refused', () => {
    const nonce = new DpopNonces(secret, 300).issue(now);
    expect(new DpopNonces(new TextEncoder().encode('another-secret-of-at-least-32-chars!'), 300).isValid(nonce, now)).toBe(false);
    const flipped = `${nonce.slice(0, 3)}${nonce[3] === 'A' ? 'B' : 'A'}${nonce.slice(4)}`;
    const nonces = new DpopNonces(secret, 300);
    expect(nonces.isValid(flipped, now)).toBe(false);
    for (const value of [undefined, null, 42, '', `${nonce}=`, `${nonce}A`, nonce.slice(1)]) expect(nonces.isValid(value, now)).toBe(false);
  });
});
