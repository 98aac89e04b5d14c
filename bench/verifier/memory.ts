import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { KeyFile } from '../protocol.js';
import { createSyncSigner } from '../tokens.js';
import { createVerifierContext, verifiedTokenCacheSize } from './verifier-context.js';

// Resident memory of our verifier (child process started by run.ts with --expose-gc): N distinct valid
// tokens through it, each verified twice so that every one is admitted to the verified-token cache (a token
// enters on its second verification) and the cache fills and evicts: the worst case for memory. Then a flood
// of invalid ones. Only successes may be remembered and the cache is bounded, so memory should plateau once
// the cache is full and not move during the flood.

export interface MemoryConfig {
  resource: string;
  issuers: string[];
  keyFile: string;
  tokens: number;
  invalidTokens: number;
}

export interface MemorySample {
  label: string;
  tokens: number;
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
  cacheEntries: number | undefined;
}

export type MemoryMessage =
  | { type: 'result'; samples: MemorySample[]; validSeconds: number; invalidSeconds: number; invalidByKind: Record<string, number> }
  | { type: 'error'; message: string };

const BATCH = 256;

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_MEMORY_CONFIG ?? '') as MemoryConfig;
  const keyFile = JSON.parse(await readFile(config.keyFile, 'utf8')) as KeyFile;
  const sign = createSyncSigner(keyFile);
  const context = await createVerifierContext(config.resource, config.issuers);
  const now = () => Math.floor(Date.now() / 1000);
  const validClaims = (n: number) => ({
    iss: keyFile.issuer,
    aud: config.resource,
    sub: `bench-user-${n}`,
    client_id: 'bench-client',
    scope: 'read:notes',
    iat: now(),
    exp: now() + 3600,
    jti: randomUUID(),
  });

  const samples: MemorySample[] = [];
  const sample = (label: string, tokens: number) => {
    collectGarbage();
    const usage = process.memoryUsage();
    samples.push({
      label,
      tokens,
      rssMiB: mib(usage.rss),
      heapUsedMiB: mib(usage.heapUsed),
      externalMiB: mib(usage.external),
      cacheEntries: verifiedTokenCacheSize(context.verifier),
    });
  };

  // Warm up (JIT, key import) with a few tokens that are not counted, then the baseline.
  for (let i = 0; i < 1_000; i++) await context.verify(sign(validClaims(-1 - i)));
  sample('after bootstrap and 1 000 warm-up tokens', 0);

  const checkpoints = new Set([10_000, 50_000, ...[0.25, 0.5, 0.75, 1].map((f) => Math.round(config.tokens * f))].filter((n) => n <= config.tokens));
  const validStartedAt = performance.now();
  for (let done = 0; done < config.tokens; ) {
    const size = Math.min(BATCH, config.tokens - done);
    const tokens = Array.from({ length: size }, (_, i) => sign(validClaims(done + i)));
    await Promise.all(tokens.map((token) => context.verify(token)));
    await Promise.all(tokens.map((token) => context.verify(token)));
    const before = done;
    done += size;
    for (const checkpoint of checkpoints) if (checkpoint > before && checkpoint <= done) sample(`after ${format(checkpoint)} valid tokens`, done);
  }
  const validSeconds = (performance.now() - validStartedAt) / 1000;

  // The flood: five kinds of invalid token in turn, the expensive ones first of all (a valid structure and
  // a trusted issuer, so the signature or the claims are really checked).
  const base = sign(validClaims(0));
  const [encodedHeader] = base.split('.');
  const expired = Array.from({ length: 256 }, (_, i) => sign({ ...validClaims(i), iat: now() - 7200, exp: now() - 3600 }));
  const wrongAudience = Array.from({ length: 256 }, (_, i) => sign({ ...validClaims(i), aud: 'https://other.bench.test/mcp' }));
  const kinds: Array<[string, (i: number) => string]> = [
    // A distinct payload under another token's signature: verified by the crypto, refused.
    ['bad signature', (i) => `${encodedHeader}.${encodeClaims(validClaims(i))}.${base.split('.')[2]}`],
    ['expired', (i) => expired[i % expired.length]!],
    ['wrong audience', (i) => wrongAudience[i % wrongAudience.length]!],
    ['untrusted issuer', (i) => `${encodedHeader}.${encodeClaims({ ...validClaims(i), iss: `https://evil-${i}.bench.test` })}.${base.split('.')[2]}`],
    ['malformed', () => `${randomBytes(24).toString('base64url')}.${randomBytes(48).toString('base64url')}.${randomBytes(32).toString('base64url')}`],
  ];
  sample('before the invalid-token flood', config.tokens);
  const invalidByKind: Record<string, number> = {};
  const invalidStartedAt = performance.now();
  for (let done = 0; done < config.invalidTokens; ) {
    const size = Math.min(BATCH, config.invalidTokens - done);
    const batch = Array.from({ length: size }, (_, i) => kinds[(done + i) % kinds.length]!);
    const outcomes = await Promise.allSettled(batch.map(([, make], i) => context.verify(make(done + i))));
    outcomes.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') throw new Error(`an invalid token (${batch[i]![0]}) was accepted`);
      invalidByKind[batch[i]![0]] = (invalidByKind[batch[i]![0]] ?? 0) + 1;
    });
    done += size;
  }
  const invalidSeconds = (performance.now() - invalidStartedAt) / 1000;
  sample(`after ${format(config.invalidTokens)} invalid tokens`, config.tokens);

  await context.close();
  process.send?.({ type: 'result', samples, validSeconds, invalidSeconds, invalidByKind } satisfies MemoryMessage, () => process.exit(0));
}

function encodeClaims(claims: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(claims)).toString('base64url');
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
}

function mib(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function format(n: number): string {
  return n.toLocaleString('en-US').replace(/,/g, ' ');
}

// Never outlive the run that started us.
process.on('disconnect', () => process.exit(0));

main().catch((error: unknown) => {
  process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies MemoryMessage, () =>
    process.exit(1),
  );
});
