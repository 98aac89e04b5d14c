import { adapterOf, type BenchAdapter, type RouteName, type TokenSource } from '../variants.js';
import { findSummary } from './find-summary.js';
import type { BenchReport, LoadPhase, VariantSummary } from './results.js';

/** One row of the summary: what it measures on each app, or the fastest peer of a kind of tokens (Express only). */
type SummaryRow = { label: string; route: RouteName; tokens: TokenSource } | { label: string; fastestPeer: 'rs256' | 'distinct' };

const ROWS: readonly SummaryRow[] = [
  { label: 'unprotected route', route: 'open', tokens: 'rs256' },
  { label: 'no-op async guard (what Nest charges for any guard)', route: 'noop-guard', tokens: 'rs256' },
  { label: '**BearerAuthGuard**, reused RS256 token', route: 'guard', tokens: 'rs256' },
  { label: '**BearerAuthGuard**, reused ES256 token', route: 'guard', tokens: 'es256' },
  { label: '**BearerAuthGuard**, a new RS256 token per request', route: 'guard', tokens: 'distinct' },
  { label: '**BearerAuthGuard**, a new ES256 token per request', route: 'guard', tokens: 'distinct-es256' },
  { label: "**BearerAuthGuard**, `dpop: 'allowed'`, a new DPoP proof per request", route: 'dpop', tokens: 'dpop' },
  { label: 'fastest peer, reused token', fastestPeer: 'rs256' },
  { label: 'fastest peer, a new token per request', fastestPeer: 'distinct' },
  { label: 'MCP `tools/call` (SDK v2), unprotected', route: 'mcp-open', tokens: 'rs256' },
  { label: 'MCP `tools/call` (SDK v2) behind **BearerAuthGuard** (ratio to the row above)', route: 'mcp-guard', tokens: 'rs256' },
];

/**
 * The README's summary: per row, per run and app, the req/s ratio to its baseline and the server CPU per
 * request, side by side for several runs (e.g. the same machine on Node 20 and on Node 24). `npm run
 * bench:summary -- latest node24` prints it from the runs' JSON reports.
 */
export function renderSummaryTable(reports: readonly BenchReport[]): string {
  const columns = reports.flatMap((report) => {
    const node = report.machine.node.replace(/^v(\d+).*$/, '$1');
    return (report.load?.adapters ?? []).map((adapter) => ({ load: report.load!, adapter, title: `${appName(adapter)}, Node ${node}` }));
  });
  const lines = [`| | ${columns.map((column) => column.title).join(' | ')} |`, `|---|${columns.map(() => '---:').join('|')}|`];
  for (const row of ROWS) lines.push(`| ${row.label} | ${columns.map(({ load, adapter }) => cell(summaryFor(row, load, adapter), 'fastestPeer' in row)).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

function summaryFor(row: SummaryRow, load: LoadPhase, adapter: BenchAdapter): VariantSummary | undefined {
  if (!('fastestPeer' in row)) return findSummary(load.summaries, adapter, row.route, row.tokens);
  const peers = load.summaries.filter((summary) => summary.variant.kind === 'peer' && summary.variant.tokens === row.fastestPeer && adapterOf(summary.variant) === adapter);
  return peers.reduce<VariantSummary | undefined>((best, peer) => (best === undefined || peer.medianRps > best.medianRps ? peer : best), undefined);
}

function cell(summary: VariantSummary | undefined, namePeer: boolean): string {
  if (!summary || summary.ratio === undefined) return '—';
  return `${summary.ratio.toFixed(2)} · ${Math.round(summary.cpuMicrosPerRequest)}${namePeer ? ` (${summary.variant.id})` : ''}`;
}

function appName(adapter: BenchAdapter): string {
  return adapter === 'fastify' ? 'Fastify' : 'Express';
}
