import { performance } from 'node:perf_hooks';

/** How many proofs a pool holds, signed how fast, and how many had to be signed under load. */
export interface DpopProofPoolStats {
  /** Proofs signed before the measured loads, and the time each took, in µs. */
  pregenerated: number;
  signMicrosPerProof: number;
  /** Proofs the pool ran short of and signed on the load generator's hot path. */
  signedDuringLoad: number;
}

/**
 * Fresh DPoP proofs for one load, signed before it starts. Signing an ES256 proof per request inside the load
 * generator would take its CPU from autocannon, which shares a two-core machine with the server: the load
 * generator would become the bottleneck of this variant alone. Every proof is handed out once (the server's
 * replay check refuses a second use), so a pool is filled anew before each load, sized for the most requests
 * it may see; should it run dry, the rest are signed on the spot and counted, so the report shows it.
 */
export class DpopProofPool {
  private proofs: string[] = [];
  private cursor = 0;
  private signMicros = 0;
  readonly stats: DpopProofPoolStats = { pregenerated: 0, signMicrosPerProof: 0, signedDuringLoad: 0 };

  /**
   * @param sign signs one fresh proof (`iat` = now).
   * @param maxAgeSeconds the server's `iat` window: a proof signed before the load must still be inside it at the end.
   */
  constructor(
    private readonly sign: () => string,
    private readonly maxAgeSeconds: number,
  ) {}

  /** Replaces the pool with `count` fresh proofs for a load of `durationSeconds`. */
  fill(count: number, durationSeconds: number): void {
    // A minute of room for the signing itself: the last proof of the pool is used at the end of the load.
    if (durationSeconds + 60 > this.maxAgeSeconds) {
      throw new Error(`a ${durationSeconds} s load outlives DPoP proofs signed before it (iat window ±${this.maxAgeSeconds} s)`);
    }
    const startedAt = performance.now();
    this.proofs = Array.from({ length: count }, () => this.sign());
    this.cursor = 0;
    this.signMicros += (performance.now() - startedAt) * 1000;
    this.stats.pregenerated += count;
    if (this.stats.pregenerated > 0) this.stats.signMicrosPerProof = this.signMicros / this.stats.pregenerated;
  }

  /** The next unused proof. */
  next(): string {
    if (this.cursor < this.proofs.length) return this.proofs[this.cursor++]!;
    this.stats.signedDuringLoad++;
    return this.sign();
  }
}
