import { createHmac, timingSafeEqual } from 'node:crypto';

const TIMESTAMP_BYTES = 8;
const MAC_BYTES = 16;

/**
 * Server-provided DPoP nonces (RFC 9449 §8, §9) that need no shared state: a nonce is the time it was made
 * and a MAC of that time under the resource's secret. Any instance holding the secret accepts it until it is
 * `lifetimeSeconds` old; replay within that time is stopped by the proof's `jti`, not by the nonce.
 */
export class DpopNonces {
  constructor(
    private readonly secret: Uint8Array,
    private readonly lifetimeSeconds: number,
  ) {}

  /** A fresh nonce, valid from `nowSeconds` on. */
  issue(nowSeconds: number): string {
    const timestamp = Buffer.alloc(TIMESTAMP_BYTES);
    timestamp.writeBigUInt64BE(BigInt(Math.floor(nowSeconds)));
    return Buffer.concat([timestamp, this.mac(timestamp)]).toString('base64url');
  }

  /** Whether `nonce` is one of ours, made no more than the lifetime ago (and not in the future). */
  isValid(nonce: unknown, nowSeconds: number): boolean {
    if (typeof nonce !== 'string' || nonce.length !== Math.ceil(((TIMESTAMP_BYTES + MAC_BYTES) * 4) / 3)) return false;
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== TIMESTAMP_BYTES + MAC_BYTES || bytes.toString('base64url') !== nonce) return false;
    const timestamp = bytes.subarray(0, TIMESTAMP_BYTES);
    if (!timingSafeEqual(bytes.subarray(TIMESTAMP_BYTES), this.mac(timestamp))) return false;
    const age = Math.floor(nowSeconds) - Number(timestamp.readBigUInt64BE());
    return age >= 0 && age <= this.lifetimeSeconds;
  }

  private mac(timestamp: Buffer): Buffer {
    return createHmac('sha256', this.secret).update('dpop-nonce').update(timestamp).digest().subarray(0, MAC_BYTES);
  }
}
