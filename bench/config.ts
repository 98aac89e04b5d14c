/** The knobs of a run, read once from the environment. Defaults keep a full run at about 3–6 minutes. */
export interface BenchConfig {
  /** BENCH_DURATION: seconds of load per variant and round. */
  durationSeconds: number;
  /** BENCH_ROUNDS: rounds over all variants, in alternating order. */
  rounds: number;
  /** BENCH_CONNECTIONS: concurrent keep-alive connections autocannon holds open. */
  connections: number;
  /** BENCH_WARMUP: seconds of unrecorded load per variant before the first round. */
  warmupSeconds: number;
  /**
   * BENCH_POOL: distinct tokens minted for the "distinct" variants; more than twice the verified-token cache, so
   * that no token comes round again while the cache still remembers seeing it (and would admit it).
   */
  poolSize: number;
  /** BENCH_TOKENS: distinct valid tokens pushed through our verifier in the memory test. */
  memoryTokens: number;
  /** BENCH_INVALID_TOKENS: invalid tokens in the memory test's flood. */
  invalidTokens: number;
  /** BENCH_BOOT_ROUNDS: fresh server processes per bootstrap measurement. */
  bootRounds: number;
  /** BENCH_MICRO_ROUNDS / BENCH_MICRO_BATCH: micro-benchmark rounds and verifications per contender and round. */
  microRounds: number;
  microBatch: number;
  /**
   * BENCH_DPOP_INLINE=1: the DPoP variant's load generator signs each proof as it builds the request instead
   * of taking it from a pool signed before the load, to see what that costs the load generator.
   */
  dpopInline: boolean;
  /** BENCH_VARIANTS: comma-separated variant ids to load-test (default: all). */
  variants: string[] | undefined;
  /** BENCH_SKIP: comma-separated phases to skip (load, bootstrap, micro, memory). */
  skip: Set<string>;
  /** BENCH_OUT: base name of the report files in bench/results (default `latest`: latest.md, latest.svg). */
  outName: string;
  /** BENCH_PROFILE=1: instead of the full run, CPU-profile the server under the variants in BENCH_PROFILE_VARIANTS. */
  profile: boolean;
  profileVariants: string[];
}

export function readBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  return {
    durationSeconds: positiveNumber(env, 'BENCH_DURATION', 5),
    rounds: positiveInteger(env, 'BENCH_ROUNDS', 3),
    connections: positiveInteger(env, 'BENCH_CONNECTIONS', 16),
    warmupSeconds: positiveNumber(env, 'BENCH_WARMUP', 1),
    poolSize: positiveInteger(env, 'BENCH_POOL', 25_000),
    memoryTokens: positiveInteger(env, 'BENCH_TOKENS', 100_000),
    invalidTokens: positiveInteger(env, 'BENCH_INVALID_TOKENS', 100_000),
    bootRounds: positiveInteger(env, 'BENCH_BOOT_ROUNDS', 3),
    microRounds: positiveInteger(env, 'BENCH_MICRO_ROUNDS', 5),
    microBatch: positiveInteger(env, 'BENCH_MICRO_BATCH', 2_000),
    dpopInline: env.BENCH_DPOP_INLINE === '1' || env.BENCH_DPOP_INLINE === 'true',
    variants: list(env.BENCH_VARIANTS),
    skip: new Set(list(env.BENCH_SKIP) ?? []),
    outName: outName(env.BENCH_OUT),
    profile: env.BENCH_PROFILE === '1' || env.BENCH_PROFILE === 'true',
    profileVariants: list(env.BENCH_PROFILE_VARIANTS) ?? ['b', 'd'],
  };
}

function outName(value: string | undefined): string {
  if (value === undefined || value === '') return 'latest';
  if (!/^[\w.-]+$/.test(value)) throw new Error(`BENCH_OUT must be a plain file name, got "${value}"`);
  return value;
}

function list(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((item) => item.trim()).filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = positiveNumber(env, name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got "${env[name]}"`);
  return value;
}
