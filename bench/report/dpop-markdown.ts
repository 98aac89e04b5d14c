import { DPOP_BENCH_MAX_MARKERS } from '../bench-module-options.js';
import { median } from '../stats.js';
import { DPOP_CONTENDERS } from '../verifier/dpop-proof-contenders.js';
import { adapterOf } from '../variants.js';
import { findSummary } from './find-summary.js';
import type { BenchReport, LoadPhase, MicroPhase, VariantSummary } from './results.js';

const DESCRIBE: Record<(typeof DPOP_CONTENDERS)[number], string> = {
  'dpop-signature-only': "the proof's ES256 signature check alone, as ours runs it (key already imported)",
  'dpop-key-import': "decoding the proof's header and importing its `jwk` (`createPublicKey`): what the key cache saves a later proof",
  'dpop-proof-check': '**our whole proof check** (RFC 9449 §4.3: decode, header, thumbprint, the client key from the cache, signature, claims)',
  'dpop-proof-replay': 'the proof check + its `jti` written to the in-memory `McpAuthStore` (all the guard does for a proof)',
};

/**
 * The DPoP section: what the DPoP variant adds to a reused token's request under load, what one proof check
 * costs in process, how the variant's proofs were made, and what its route answered in the preflight.
 * Empty when neither the DPoP variant nor the DPoP micro-benchmark ran.
 */
export function dpopSection(report: BenchReport): string[] {
  const variants = report.load?.summaries.filter((summary) => summary.variant.tokens === 'dpop') ?? [];
  const micro = report.micro?.dpopMicroseconds ? report.micro : undefined;
  if (variants.length === 0 && !micro) return [];
  return [
    '## DPoP: the cost of a proof',
    '',
    'A request of (dpop) (and of (fdpop), the same on Fastify) carries the same kind of reused token as (b), RS256 and known to the verified-token cache, but bound to an ES256 key ' +
      '(`cnf.jkt`) and sent as `Authorization: DPoP` with a new proof in the `DPoP` header (fresh `jti`, `iat` now, `htm`, `htu` = the resource ' +
      "identifier, `ath`), to a resource with `dpop: 'allowed'` and the library's defaults. **What a proof adds per request: one ES256 signature " +
      'verification and one store write** (the `jti` marker in the in-memory `McpAuthStore`, whose `maxMarkers` the run raises to ' +
      `${DPOP_BENCH_MAX_MARKERS}: markers live 600 s, and the default 100000 would fill within a run), ` +
      'besides decoding the proof, hashing the token ' +
      "and the key (`ath`, RFC 7638 thumbprint). The proof's `jwk` is imported once per client key and kept by its thumbprint (the key-import " +
      'row below is what that saves each later proof). Unlike a reused Bearer token, which the guard answers synchronously, a proof makes every ' +
      "request wait for the signature check on libuv's thread pool.",
    '',
    ...variants.flatMap((variant) => loadLines(variant, report.load!, micro)),
    ...proofPoolLines(report.load),
    ...(micro ? microLines(micro) : []),
    ...(report.load?.preflight.dpop ? preflightLines(report.load.preflight.dpop) : []),
  ];
}

/** What a DPoP variant adds under load to the reused Bearer token of its own app ((b) on Express, (fb) on Fastify). */
function loadLines(variant: VariantSummary, load: LoadPhase, micro: MicroPhase | undefined): string[] {
  const reference = findSummary(load.summaries, adapterOf(variant.variant), 'guard', 'rs256');
  // CPU time, like the server's per request; 16 in flight, like the load's 16 connections.
  const proofCheck = micro && medianOf(micro.dpopCpuMicroseconds, 'concurrency 16', 'dpop-proof-replay');
  const lines: string[] = [];
  if (reference) {
    const added = variant.cpuMicrosPerRequest - reference.cpuMicrosPerRequest;
    lines.push(
      `Under load, (${variant.variant.id}) cost ${variant.cpuMicrosPerRequest.toFixed(0)} µs of server CPU per request against ${reference.cpuMicrosPerRequest.toFixed(0)} µs ` +
        `for (${reference.variant.id}): **${added.toFixed(0)} µs added by the proof**` +
        (proofCheck === undefined ? '' : `, against ${proofCheck.toFixed(0)} µs of CPU for a whole proof check with its store write in process (below)`) +
        `; throughput ratio ${ratio(variant.ratio)} against ${ratio(reference.ratio)}.`,
      '',
    );
  }
  return lines;
}

/** How the DPoP variants' proofs were made, when one ran. */
function proofPoolLines(load: LoadPhase | undefined): string[] {
  const proofs = load?.dpopProofs;
  const lines: string[] = [];
  if (proofs && proofs.pregenerated === 0) {
    lines.push(
      `BENCH_DPOP_INLINE: all ${proofs.signedDuringLoad} proofs were signed by the load generator while it built each request, ` +
        'so this run shows what that costs the load generator (compare its req/s with a run using proof pools).',
      '',
    );
  } else if (proofs) {
    lines.push(
      `The proofs were signed by the load generator before each load, not while it ran (an ES256 signature per request would take autocannon's CPU on ` +
        `a machine it shares with the server, and make the load generator this variant's bottleneck): ${proofs.pregenerated} proofs at ` +
        `${proofs.signMicrosPerProof.toFixed(0)} µs each, a new pool for every load, each proof sent once (the server refuses a replayed one, and every ` +
        `response had to be 2xx); ${proofs.signedDuringLoad} had to be signed during a load because a pool ran short.`,
      '',
    );
  }
  return lines;
}

function microLines(micro: MicroPhase): string[] {
  const modes = Object.keys(micro.dpopMicroseconds!);
  // Per mode, elapsed µs/op then CPU µs/op (absent in results from before CPU time was recorded).
  const columns = modes.flatMap((mode) => {
    const inFlight = mode.replace('concurrency ', '');
    return [
      { title: `µs/op, ${inFlight} in flight`, measured: micro.dpopMicroseconds, mode },
      { title: `CPU µs/op, ${inFlight} in flight`, measured: micro.dpopCpuMicroseconds, mode },
    ];
  });
  const cell = (measured: MicroPhase['dpopMicroseconds'], mode: string, contender: string) => medianOf(measured, mode, contender)?.toFixed(1) ?? 'n/a';
  const ratioCells = columns.map(({ measured, mode }) => {
    const whole = medianOf(measured, mode, 'dpop-proof-replay');
    const signature = medianOf(measured, mode, 'dpop-signature-only');
    return whole !== undefined && signature !== undefined ? `${(whole / signature).toFixed(2)} ×` : 'n/a';
  });
  return [
    `In process, fresh proofs signed before the clock starts, ${micro.batch} per contender and round, ${micro.rounds} rounds in rotating order, ` +
      'median per operation: elapsed, and CPU time of the whole process (thread pool included; the steadier of the two on a busy machine):',
    '',
    `| contender | ${columns.map((column) => column.title).join(' | ')} |`,
    `|---|${columns.map(() => '---:').join('|')}|`,
    ...DPOP_CONTENDERS.map(
      (contender) => `| ${DESCRIBE[contender]} | ${columns.map(({ measured, mode }) => cell(measured, mode, contender)).join(' | ')} |`,
    ),
    `| ratio proof check + store write / signature alone | ${ratioCells.join(' | ')} |`,
    '',
  ];
}

function preflightLines(rows: NonNullable<LoadPhase['preflight']['dpop']>): string[] {
  return [
    'Preflight of the DPoP route (its own resource, so its own tokens), in this order: the run stops if one answer differs.',
    '',
    '| request | expected | `/dpop/mcp` |',
    '|---|---:|---:|',
    ...rows.map((row) => `| ${row.request} | ${row.expected} | ${row.status} |`),
    '',
  ];
}

function medianOf(measured: MicroPhase['dpopMicroseconds'], mode: string, contender: string): number | undefined {
  const values = measured?.[mode]?.[contender];
  return values && values.length > 0 ? median(values) : undefined;
}

function ratio(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(2);
}
