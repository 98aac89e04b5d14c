import { adapterOf, type BenchAdapter, type RouteName, type TokenSource } from '../variants.js';
import type { VariantSummary } from './results.js';

/**
 * The measured variant of one app with this route and these tokens, e.g. the reused RS256 token behind our
 * guard on Fastify; `undefined` when it did not run. The report's sections find their references this way
 * rather than by id, so that they hold for both apps.
 */
export function findSummary(
  summaries: readonly VariantSummary[],
  adapter: BenchAdapter,
  route: RouteName,
  tokens: TokenSource,
): VariantSummary | undefined {
  return summaries.find((summary) => summary.variant.route === route && summary.variant.tokens === tokens && adapterOf(summary.variant) === adapter);
}
