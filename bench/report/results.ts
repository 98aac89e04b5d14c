import type { BenchConfig } from '../config.js';
import type { DpopProofPoolStats } from '../dpop-proof-pool.js';
import type { LoadResult } from '../load.js';
import type { BenchAdapter, Variant } from '../variants.js';
import type { MemorySample } from '../verifier/memory.js';
import type { MachineInfo } from './machine.js';

/** Everything a run measured; the markdown table and the chart are both drawn from this. */
export interface BenchReport {
  date: string;
  machine: MachineInfo;
  loadAverageAtEnd: number;
  config: BenchConfig;
  versions: Record<string, string>;
  wallSeconds: number;
  load?: LoadPhase;
  bootstrap?: BootstrapMeasurement[];
  micro?: MicroPhase;
  memory?: MemoryPhase;
}

export interface VariantSummary {
  variant: Variant;
  runs: LoadResult[];
  medianRps: number;
  minRps: number;
  maxRps: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * The id of the variant the ratios are to (`baselineIdOf`: the same app's unprotected route, or for the MCP
   * pair the unprotected MCP route); undefined when it was not measured in this run.
   */
  baseline: string | undefined;
  /** Median req/s over the baseline's median req/s in the same run. */
  ratio: number | undefined;
  /** Median server CPU time per request (µs), and the baseline's over it (1 = free, like `ratio`). */
  cpuMicrosPerRequest: number;
  cpuRatio: number | undefined;
}

export interface LoadPhase {
  summaries: VariantSummary[];
  poolSize: number;
  cacheMaxEntries: number | undefined;
  /**
   * Per route, the status each kind of token got in the preflight; the DPoP route (another resource, so
   * another audience) has requests of its own.
   */
  preflight: {
    routes: string[];
    rows: Array<{ token: string; expected: string; statuses: number[] }>;
    dpop?: Array<{ request: string; expected: number; status: number }>;
  };
  /** How the DPoP variant's proofs were made, when it ran. */
  dpopProofs?: DpopProofPoolStats;
  /** The apps measured, in order (one server child each); the preflight shown is the first one's, the others passed the same. */
  adapters: BenchAdapter[];
}

export interface BootstrapMeasurement {
  app: string;
  /** Fork → the child reports it listens (Node start, imports, Nest bootstrap, discovery, JWKS prefetch). */
  spawnToListeningMs: number;
  /** Inside the child: main() began → app.listen() resolved. */
  nestBootstrapMs: number;
  /** The first request with a valid token, on a fresh connection, right after listening. */
  firstRequestMs: number;
  /** A second request, for comparison. */
  secondRequestMs: number;
  spawnToFirstVerifiedMs: number;
  jwksRequestsAtListening: number;
  jwksRequestsAfterFirstRequest: number;
}

export interface MicroPhase {
  /** mode (e.g. "concurrency 1") → contender → µs/op per round. */
  microseconds: Record<string, Record<string, number[]>>;
  /** The same contenders' CPU time per operation (the whole process, thread pool included); absent in older results. */
  cpuMicroseconds?: Record<string, Record<string, number[]>>;
  /** The same for one DPoP proof check (bench/verifier/dpop-proof-contenders.ts); absent in older results. */
  dpopMicroseconds?: Record<string, Record<string, number[]>>;
  /** Those contenders' CPU time per operation (the whole process, thread pool included). */
  dpopCpuMicroseconds?: Record<string, Record<string, number[]>>;
  cacheMaxEntries: number;
  poolSize: number;
  rounds: number;
  batch: number;
}

export interface MemoryPhase {
  samples: MemorySample[];
  tokens: number;
  invalidTokens: number;
  validSeconds: number;
  invalidSeconds: number;
  invalidByKind: Record<string, number>;
  algorithm: string;
}
