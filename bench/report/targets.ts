import { median } from '../stats.js';
import { adapterOf, type BenchAdapter, type RouteName, type TokenSource } from '../variants.js';
import { findSummary } from './find-summary.js';
import type { BenchReport, LoadPhase, MicroPhase, VariantSummary } from './results.js';

/** Issue 16, criterion 1: a reused token's request costs at most this many times the unprotected route's server CPU. */
export const REUSED_TOKEN_TARGET = 1.1;
/**
 * Issue 16, criterion 2: a new token adds at most this many times what a reused one adds plus one signature
 * check of its algorithm.
 */
export const NEW_TOKEN_OVERHEAD_TARGET = 1.3;

/** The micro-benchmark contender that is one signature check of each algorithm alone, as our verifier runs it. */
const SIGNATURE_CONTENDER: Record<'rs256' | 'es256', string> = { rs256: 'signature-only', es256: 'signature-only-es256' };
/** The load has 16 connections: the signature floor is taken with 16 checks in flight too. */
const SIGNATURE_MODE = 'concurrency 16';

export interface ReusedTarget {
  adapter: BenchAdapter;
  variant: VariantSummary;
  baseline: VariantSummary;
  /** Server CPU per request of the variant over the baseline's (the inverse of the table's CPU ratio). */
  cpuMultiple: number;
}

export interface NewTokenTarget {
  adapter: BenchAdapter;
  alg: 'rs256' | 'es256';
  distinct: VariantSummary;
  reused: VariantSummary;
  baseline: VariantSummary;
  /** Server CPU µs per request that each adds to the unprotected route. */
  addedByNew: number;
  addedByReused: number;
  /** CPU µs of one signature check of that algorithm in the micro-benchmark of the same run. */
  signatureCpu: number;
  /** addedByNew / (addedByReused + signatureCpu). */
  multiple: number;
}

/**
 * The criteria 1 and 2, computed per app from the run's own numbers: the server CPU the guard's
 * variants cost against the same app's unprotected route, and what a new token adds against a reused one
 * plus one signature check measured in the micro-benchmark. Pure: the report renders what this returns.
 */
export function computeTargets(load: LoadPhase, micro: MicroPhase | undefined): { reused: ReusedTarget[]; newToken: NewTokenTarget[] } {
  const reused: ReusedTarget[] = [];
  const newToken: NewTokenTarget[] = [];
  for (const adapter of load.adapters) {
    const find = (route: RouteName, tokens: TokenSource) => findSummary(load.summaries, adapter, route, tokens);
    const baseline = find('open', 'rs256');
    if (!baseline) continue;
    for (const alg of ['rs256', 'es256'] as const) {
      const reusedVariant = find('guard', alg);
      if (!reusedVariant) continue;
      reused.push({ adapter, variant: reusedVariant, baseline, cpuMultiple: reusedVariant.cpuMicrosPerRequest / baseline.cpuMicrosPerRequest });
      const distinct = find('guard', alg === 'rs256' ? 'distinct' : 'distinct-es256');
      const signatureCpu = signatureCpuOf(micro, alg);
      if (!distinct || signatureCpu === undefined) continue;
      const addedByNew = distinct.cpuMicrosPerRequest - baseline.cpuMicrosPerRequest;
      const addedByReused = reusedVariant.cpuMicrosPerRequest - baseline.cpuMicrosPerRequest;
      newToken.push({
        adapter,
        alg,
        distinct,
        reused: reusedVariant,
        baseline,
        addedByNew,
        addedByReused,
        signatureCpu,
        multiple: addedByNew / (addedByReused + signatureCpu),
      });
    }
  }
  return { reused, newToken };
}

function signatureCpuOf(micro: MicroPhase | undefined, alg: 'rs256' | 'es256'): number | undefined {
  const values = micro?.cpuMicroseconds?.[SIGNATURE_MODE]?.[SIGNATURE_CONTENDER[alg]];
  return values && values.length > 0 ? median(values) : undefined;
}

/** Our distinct-token variants of Express against the peers' distinct-token variants (none of them runs on Fastify). */
function distinctAgainstPeers(load: LoadPhase): { ours: VariantSummary; bestPeer: VariantSummary } | undefined {
  const distinct = load.summaries.filter((summary) => summary.variant.tokens === 'distinct');
  const ours = distinct.find((summary) => summary.variant.kind === 'ours' && adapterOf(summary.variant) === 'express');
  const peers = distinct.filter((summary) => summary.variant.kind === 'peer');
  if (!ours || peers.length === 0) return undefined;
  const bestPeer = peers.reduce((best, peer) => (peer.medianRps > best.medianRps ? peer : best));
  return { ours, bestPeer };
}

/** The "Targets" section: each criterion, the numbers it is computed from, and whether this run met it. */
export function targetsSection(report: BenchReport): string[] {
  if (!report.load) return [];
  const { reused, newToken } = computeTargets(report.load, report.micro);
  const peers = distinctAgainstPeers(report.load);
  if (reused.length === 0 && newToken.length === 0 && !peers) return [];
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const name = (adapter: BenchAdapter) => (adapter === 'fastify' ? 'Fastify' : 'Express');
  const lines = ['## Targets (server CPU per request, this run)', ''];
  if (reused.length > 0) {
    lines.push(
      `**Reused token** — the guard's route at most ${REUSED_TOKEN_TARGET.toFixed(2)} × the unprotected route's server CPU per request, on each app:`,
      '',
      '| app | variant | CPU µs/req | unprotected µs/req | multiple | target |',
      '|---|---|---:|---:|---:|---|',
      ...reused.map(
        (row) =>
          `| ${name(row.adapter)} | (${row.variant.variant.id}) | ${row.variant.cpuMicrosPerRequest.toFixed(0)} | ${row.baseline.cpuMicrosPerRequest.toFixed(0)} (${row.baseline.variant.id}) | ` +
          `${row.cpuMultiple.toFixed(2)} × | ${met(row.cpuMultiple <= REUSED_TOKEN_TARGET)} |`,
      ),
      '',
    );
  }
  if (newToken.length > 0) {
    lines.push(
      `**New token** — what a distinct token adds to the unprotected route at most ${NEW_TOKEN_OVERHEAD_TARGET.toFixed(1)} × (what a reused token of the same algorithm adds + ` +
        `one signature check of that algorithm, its CPU time in the micro-benchmark below, ${SIGNATURE_MODE.replace('concurrency ', '')} in flight like the load):`,
      '',
      '| app | alg | added by a new token µs | added by a reused token µs | one signature check CPU µs | multiple | target |',
      '|---|---|---:|---:|---:|---:|---|',
      ...newToken.map(
        (row) =>
          `| ${name(row.adapter)} | ${row.alg.toUpperCase()} | ${row.addedByNew.toFixed(0)} (${row.distinct.variant.id}) | ${row.addedByReused.toFixed(0)} (${row.reused.variant.id}) | ` +
          `${row.signatureCpu.toFixed(1)} | ${row.multiple.toFixed(2)} × | ${met(row.multiple <= NEW_TOKEN_OVERHEAD_TARGET)} |`,
      ),
      '',
    );
  }
  if (peers) {
    const ahead = peers.ours.medianRps > peers.bestPeer.medianRps;
    lines.push(
      `**Distinct tokens against the peers** — (${peers.ours.variant.id}) ${Math.round(peers.ours.medianRps)} req/s, the fastest peer (${peers.bestPeer.variant.id}) ` +
        `${Math.round(peers.bestPeer.medianRps)} req/s: ${met(ahead)}.`,
      '',
    );
  }
  lines.push(
    'A single run on a shared 2-core machine moves these by several µs either way; the rounds of each variant are in `latest.json`.',
    '',
  );
  return lines;
}
