import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createRemoteJWKSet, importJWK, jwtVerify, type JWK } from 'jose';
import { verifyJwsSignature } from '../../lib/verification/jws-signature.js';
import { poolDefeatsCache } from '../pool-size.js';
import { BENCH_DPOP_RESOURCE } from '../protocol.js';
import { CpuProfiler } from '../profile/cpu-profiler.js';
import { dpopProofContenders } from './dpop-proof-contenders.js';
import { createVerifierContext } from './verifier-context.js';

// In-process micro-benchmark of the cost of one verification (child process, started by run.ts).
// Contenders, each timed over the same number of operations per round, rounds in rotating order:
// - signature-only:   the RS256 signature check alone, as our verifier runs it (Node's crypto.verify on the
//                     thread pool), nothing else: what no verifier built on it goes below.
// - signature-only-es256: the same for an ES256 token of the second issuer (the floor of the ES256 variants).
// - jose-key:         jose.jwtVerify with the public key already imported: the floor per new token.
// - jose-remote-jwks: jose.jwtVerify with a warmed createRemoteJWKSet: what a straightforward verifier pays.
// - ours-new:         our verifier (from DI, defaults) with a token it has not seen: every one a cache miss.
// - ours-cache-off:   our verifier with the verified-token cache turned off.
// - ours-cached:      our verifier with one token over and over: the cache hit.
// Then, timed apart and reported apart, the cost of one DPoP proof check (./dpop-proof-contenders.ts).

export interface MicroConfig {
  resource: string;
  issuers: string[];
  /** The issuer whose tokens are in the pool (its JWKS provides the floor's key). */
  issuer: string;
  /** The second issuer and one of its ES256 tokens, for the ES256 signature check alone. */
  es256: { issuer: string; token: string };
  poolFile: string;
  rounds: number;
  batch: number;
  concurrencies: number[];
  /** Instead of timing the contenders, CPU-profile `ours-new` (one in flight) into this file. */
  profileFile?: string;
}

export type MicroMessage =
  | {
      type: 'result';
      microseconds: Record<string, Record<string, number[]>>;
      /** The same contenders' CPU time per operation (the whole process, thread pool included). */
      cpuMicroseconds: Record<string, Record<string, number[]>>;
      /** The DPoP proof contenders, the same way, and as CPU time of the process (all threads) per operation. */
      dpopMicroseconds: Record<string, Record<string, number[]>>;
      dpopCpuMicroseconds: Record<string, Record<string, number[]>>;
      cacheMaxEntries: number;
      poolSize: number;
    }
  | { type: 'profiled'; verifications: number }
  | { type: 'error'; message: string };

type Contender = (token: string) => Promise<unknown>;
type NamedContender = [name: string, verify: Contender, nextToken: () => string];

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_MICRO_CONFIG ?? '') as MicroConfig;
  const pool = JSON.parse(await readFile(config.poolFile, 'utf8')) as string[];
  const ours = await createVerifierContext(config.resource, config.issuers);
  const oursWithoutCache = await createVerifierContext(config.resource, config.issuers, { cache: false });
  const cacheMaxEntries = ours.options.jwt.cache?.maxEntries ?? 0;
  if (!poolDefeatsCache(pool.length, cacheMaxEntries)) {
    throw new Error(`the pool (${pool.length}) must be larger than twice the cache (${cacheMaxEntries})`);
  }

  const { jwksUri, key } = await firstPublishedKey(config.issuer);
  const publicKey = await importJWK(key, key.alg ?? 'RS256');
  const keyObject = createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  const es256KeyObject = createPublicKey({ key: (await firstPublishedKey(config.es256.issuer)).key as JsonWebKey, format: 'jwk' });
  const remoteKeySet = createRemoteJWKSet(new URL(jwksUri));
  await remoteKeySet.reload();
  const claims = { issuer: config.issuer, audience: config.resource };

  let oursCursor = 0;
  let otherCursor = 0;
  const nextForOurs = () => pool[oursCursor++ % pool.length]!;
  const nextForOthers = () => pool[otherCursor++ % pool.length]!;
  const reused = pool[0]!;

  const contenders: NamedContender[] = [
    ['signature-only', (token) => signatureOnly('RS256', token, keyObject), nextForOthers],
    ['signature-only-es256', (token) => signatureOnly('ES256', token, es256KeyObject), () => config.es256.token],
    ['jose-key', (token) => jwtVerify(token, publicKey, claims), nextForOthers],
    ['jose-remote-jwks', (token) => jwtVerify(token, remoteKeySet, claims), nextForOthers],
    ['ours-new', (token) => ours.verify(token), nextForOurs],
    ['ours-cache-off', (token) => oursWithoutCache.verify(token), nextForOthers],
    ['ours-cached', (token) => ours.verify(token), () => reused],
  ];

  if (config.profileFile) {
    const verifications = config.rounds * config.batch;
    await timeBatch((token) => ours.verify(token), nextForOurs, Math.min(2_000, verifications), 1);
    const profiler = new CpuProfiler();
    await profiler.start();
    await timeBatch((token) => ours.verify(token), nextForOurs, verifications, 1);
    await profiler.stop(config.profileFile);
    await Promise.all([ours.close(), oursWithoutCache.close()]);
    process.send?.({ type: 'profiled', verifications } satisfies MicroMessage, () => process.exit(0));
    return;
  }

  const { wall: microseconds, cpu: cpuMicroseconds } = await timeContenders(contenders, config);
  // The proof check is compared with the server CPU a DPoP request adds under load, so its CPU time is kept too:
  // on a busy machine wall time says more about the neighbours than about the check.
  const dpop = await timeContenders(await dpopProofContenders(BENCH_DPOP_RESOURCE, reused), config);

  await Promise.all([ours.close(), oursWithoutCache.close()]);
  const result: MicroMessage = {
    type: 'result',
    microseconds,
    cpuMicroseconds,
    dpopMicroseconds: dpop.wall,
    dpopCpuMicroseconds: dpop.cpu,
    cacheMaxEntries,
    poolSize: pool.length,
  };
  process.send?.(result, () => process.exit(0));
}

type PerMode = Record<string, Record<string, number[]>>;

/** Per concurrency, per contender: µs/op of each round (wall and CPU), contenders in rotating order after a warm-up. */
async function timeContenders(contenders: NamedContender[], config: MicroConfig): Promise<{ wall: PerMode; cpu: PerMode }> {
  const wall: PerMode = {};
  const cpu: PerMode = {};
  for (const concurrency of config.concurrencies) {
    const mode = `concurrency ${concurrency}`;
    const wallOf: Record<string, number[]> = (wall[mode] = {});
    const cpuOf: Record<string, number[]> = (cpu[mode] = {});
    // Unrecorded warm-up: JIT, key import caches, the first cache entries.
    for (const [, verify, nextToken] of contenders) await timeBatch(verify, nextToken, Math.min(500, config.batch), concurrency);
    for (let round = 0; round < config.rounds; round++) {
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
      for (const [name, verify, nextToken] of order) {
        const timing = await timeBatch(verify, nextToken, config.batch, concurrency);
        (wallOf[name] ??= []).push(timing.wallMicros);
        (cpuOf[name] ??= []).push(timing.cpuMicros);
      }
    }
  }
  return { wall, cpu };
}

/** The first key an issuer's JWKS publishes (each dev authorization server publishes one), and the JWKS URI. */
async function firstPublishedKey(issuer: string): Promise<{ jwksUri: string; key: JWK }> {
  const metadata = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  const { keys } = (await (await fetch(metadata.jwks_uri)).json()) as { keys: JWK[] };
  return { jwksUri: metadata.jwks_uri, key: keys[0]! };
}

/** A signature check alone, as our verifier runs it (on the thread pool): split, decode, verify. */
async function signatureOnly(alg: 'RS256' | 'ES256', token: string, key: ReturnType<typeof createPublicKey>): Promise<boolean> {
  const end = token.lastIndexOf('.');
  const valid = await verifyJwsSignature(alg, key, Buffer.from(token.slice(0, end), 'latin1'), Buffer.from(token.slice(end + 1), 'base64url'));
  if (!valid) throw new Error(`signature-only: an ${alg} token did not verify`);
  return valid;
}

/**
 * Microseconds per operation for `count` verifications, `concurrency` in flight: elapsed, and CPU time of the
 * whole process (the thread pool's signature checks included).
 */
async function timeBatch(
  verify: Contender,
  nextToken: () => string,
  count: number,
  concurrency: number,
): Promise<{ wallMicros: number; cpuMicros: number }> {
  const tokens = Array.from({ length: count }, nextToken);
  collectGarbage();
  let next = 0;
  const worker = async () => {
    while (next < tokens.length) await verify(tokens[next++]!);
  };
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const { user, system } = process.cpuUsage(cpuBefore);
  return { wallMicros: ((performance.now() - startedAt) * 1000) / count, cpuMicros: (user + system) / count };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

// Never outlive the run that started us.
process.on('disconnect', () => process.exit(0));

main().catch((error: unknown) => {
  process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies MicroMessage, () =>
    process.exit(1),
  );
});
