import { median } from '../stats.js';
import { isMcpRoute, sendsDistinctTokens } from '../variants.js';
import { dpopSection } from './dpop-markdown.js';
import { targetsSection } from './targets.js';
import type { BenchReport, BootstrapMeasurement, LoadPhase, MemoryPhase, MicroPhase } from './results.js';

/** Target of issue 5: our cost per new token at most 1.2 × jose.jwtVerify with a cached key. */
const NEW_TOKEN_TARGET = 1.2;

/** What each peer cannot be configured to do, relative to our defaults (found while configuring them). */
const PEER_NOTES = [
  "**mcp-auth 0.2** — audience and `exp` checks are off unless passed (both passed here, `exp` through `jwtVerify.requiredClaims`); no `typ` policy beyond jose's single-value `typ` option (left unset, so any `typ` passes); discovery happens when configured (`fetchServerConfig` at start-up here) but nothing prefetches the JWKS, so the first request fetches it; a 403 carries its own `missing_required_scopes` code without `scope=`.",
  '**express-oauth2-jwt-bearer 1.10** — discovery and JWKS are both fetched lazily on the first request (no prefetch option); allowed algorithms come from the metadata\'s `id_token_signing_alg_values_supported`; `typ` is only checked in `strict` mode (which also demands `at+jwt`, so left off like our lenient default); bundles its own jose 4. Its errors go to `next(err)`, which inside Nest become 500s: a small exception filter (`bench/server/peer-http-error.filter.ts`, failures only) answers with the error\'s status and challenge as Express would.',
  '**MCP SDK v2 `requireBearerAuth`** — ships no JWT verifier: the straightforward jose one used here (`createRemoteJWKSet` + `jwtVerify` with issuer, audience, the algorithm list and `exp` required) has no verified-token cache, no `typ` policy and no JWKS prefetch; a verifier error that is not the SDK\'s `OAuthError` becomes a 500, so jose errors are rethrown as one.',
  '**Ours** — library defaults: verified-token cache on (10 000 entries, 5 min), lenient `typ`, 5 s clock tolerance, asymmetric algorithms only; the module trusts both dev authorization servers (RS256 and ES256), the peers only the RS256 one. `McpAuthContext` is entered by wrapping the handlers of the routes that use the guard (no interceptor), an AsyncLocalStorage context per verified request; (a-guard) shows what Nest itself charges for an async guard, (a-interceptor) what an interceptor would add. Once AsyncLocalStorage is in use, Node 20\'s promise hooks make every promise of the process a little dearer, the baseline\'s included.',
];

export function renderMarkdown(report: BenchReport): string {
  const { machine } = report;
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Run on ${report.date} · ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB · Node ${machine.node} · ${machine.os} · ` +
      `load average ${machine.loadAverage.toFixed(2)} at start, ${report.loadAverageAtEnd.toFixed(2)} at end · ${Math.round(report.wallSeconds)} s in all.`,
    '',
    `Reproduce with \`npm run bench\` (this run: ${knobs(report)}).`,
    '',
    '> Absolute numbers are this machine\'s noise (a load average above 0 means other work shared its cores);',
    '> the **ratios** to an unprotected baseline measured in the same run are the result.',
    '',
  ];
  if (report.load) lines.push(...loadSection(report.load, report));
  lines.push(...targetsSection(report));
  if (report.micro) lines.push(...microSection(report.micro));
  lines.push(...dpopSection(report));
  if (report.bootstrap) lines.push(...bootstrapSection(report.bootstrap));
  if (report.memory) lines.push(...memorySection(report.memory));
  lines.push('## How each contender is configured', '', ...PEER_NOTES.map((note) => `- ${note}`), '');
  lines.push('## Versions', '', Object.entries(report.versions).map(([name, version]) => `\`${name}\` ${version}`).join(' · '), '');
  return `${lines.join('\n')}`;
}

function knobs(report: BenchReport): string {
  const { config } = report;
  return [
    `BENCH_DURATION=${config.durationSeconds}`,
    `BENCH_ROUNDS=${config.rounds}`,
    `BENCH_CONNECTIONS=${config.connections}`,
    `BENCH_POOL=${config.poolSize}`,
    `BENCH_TOKENS=${config.memoryTokens}`,
    `BENCH_INVALID_TOKENS=${config.invalidTokens}`,
    `BENCH_BOOT_ROUNDS=${config.bootRounds}`,
    `BENCH_MICRO_ROUNDS=${config.microRounds}`,
    `BENCH_MICRO_BATCH=${config.microBatch}`,
    ...(config.dpopInline ? ['BENCH_DPOP_INLINE=1'] : []),
    ...(config.variants ? [`BENCH_VARIANTS=${config.variants.join(',')}`] : []),
    ...(config.skip.size > 0 ? [`BENCH_SKIP=${[...config.skip].join(',')}`] : []),
    ...(config.outName !== 'latest' ? [`BENCH_OUT=${config.outName}`] : []),
  ]
    .map((knob) => `\`${knob}\``)
    .join(' ');
}

function appsText(adapters: readonly string[]): string {
  const names = adapters.map((adapter) => (adapter === 'fastify' ? 'Fastify' : 'Express'));
  if (names.length === 1) return `One Nest app (${names[0]} adapter)`;
  return `The same Nest app on ${names.join(' and on ')}, one after the other, each`;
}

function loadSection(load: LoadPhase, report: BenchReport): string[] {
  const { config } = report;
  const distinct = load.summaries.filter((summary) => sendsDistinctTokens(summary.variant));
  const built = distinct.reduce((sum, summary) => sum + summary.runs.reduce((runs, run) => runs + run.requestsBuilt, 0), 0);
  return [
    '## Throughput and latency',
    '',
    `${appsText(load.adapters)} in a child process, autocannon in the parent, both on 127.0.0.1; ${config.connections} connections, ` +
      `${config.durationSeconds} s per variant and round, ${config.rounds} rounds in alternating order after ${config.warmupSeconds} s of unrecorded warm-up per variant. ` +
      'Every route is `GET /<name>/mcp` answering `{"ok":true}`, but for the MCP pair (below); every request carries an `Authorization` header (the unprotected routes ignore it). ' +
      'Median of the rounds; the ratio is the median req/s over the median req/s of the variant\'s baseline in this run (column *to*): the same app\'s unprotected route ((a) on Express, (fa) on Fastify), ' +
      'or for the MCP pair the unprotected MCP route; the range is the lowest and highest round. ' +
      'No peer runs on Fastify: all three are Express middleware that answer failures through Express\'s `res.status().json()` or `next(err)`.',
    '',
    ...mcpPairText(load),
    '| | variant | req/s | **ratio** | to | p50 ms | p99 ms | req/s range | server CPU µs/req | CPU ratio |',
    '|---|---|---:|---:|---|---:|---:|---:|---:|---:|',
    ...load.summaries.map(
      (summary) =>
        `| ${summary.variant.id} | ${summary.variant.label} | ${Math.round(summary.medianRps)} | **${ratioText(summary.ratio)}** | ${summary.baseline === undefined ? 'n/a' : `(${summary.baseline})`} | ` +
        `${summary.p50Ms.toFixed(2)} | ${summary.p99Ms.toFixed(2)} | ${Math.round(summary.minRps)}–${Math.round(summary.maxRps)} | ` +
        `${summary.cpuMicrosPerRequest.toFixed(0)} | ${ratioText(summary.cpuRatio)} |`,
    ),
    '',
    'Server CPU: user + system time of the whole server process (event loop, libuv threads, GC) over the responses it sent in each round; ' +
      'the CPU ratio is the baseline\'s CPU per request over the variant\'s, so it reads like the throughput ratio (1.00 = free) but is far less ' +
      'sensitive to other processes taking the cores. When the two disagree, trust the CPU ratio on a busy machine.',
    '',
    `![Throughput ratios](${report.config.outName}.svg)`,
    '',
    `Distinct tokens: a pool of ${load.poolSize} RS256 tokens minted for this run (all valid, signed by the key the dev authorization server publishes), ` +
      'and as many ES256 ones from the second issuer for the ES256 variants, ' +
      `handed out one per request by autocannon's per-request setup and cycled with a cursor per variant across rounds; ` +
      `the verified-token cache holds ${load.cacheMaxEntries ?? 'n/a'} entries and admits a token on its second verification while it still remembers the first ` +
      '(up to twice its size), so with a pool more than twice the cache no token is ever admitted: every request of a distinct-token variant of ours is a ' +
      'cache miss (the run stops if the cache grew during one). ' +
      `${built} requests were built with distinct tokens in the recorded rounds.`,
    '',
    '### Preflight: what each route answered',
    '',
    'Before measuring, every route got the same tokens, in the request it gets under load; a protected route that accepted a refused token would abort the run' +
      (load.preflight.routes.some((route) => route.startsWith('POST')) ? ', and so would an MCP route whose 2xx answer was not the tool\'s result.' : '.'),
    '',
    `| token | expected | ${load.preflight.routes.map((route) => `\`${route}\``).join(' | ')} |`,
    `|---|---|${load.preflight.routes.map(() => '---:').join('|')}|`,
    ...load.preflight.rows.map((row) => `| ${row.token} | ${row.expected} | ${row.statuses.join(' | ')} |`),
    '',
  ];
}

/**
 * What the MCP pair measures, and what its ratio is to, when it ran: the ratio a user of `/mcp` sees is the
 * guarded call's over the same call unprotected, both paying for the MCP SDK, not over the bare GET route.
 */
function mcpPairText(load: LoadPhase): string[] {
  const mcp = load.summaries.filter((summary) => isMcpRoute(summary.variant.route));
  if (mcp.length === 0) return [];
  const guarded = mcp.filter((summary) => summary.variant.comparedTo !== undefined);
  const pairs = guarded.map((summary) => `(${summary.variant.id}) to (${summary.variant.comparedTo})`).join(', ');
  return [
    `The MCP pair (${mcp.map((summary) => `(${summary.variant.id})`).join(', ')}) is a real MCP request: \`POST /mcp-open/mcp\` and \`POST /mcp-guard/mcp\` answer a JSON-RPC ` +
      '`tools/call` of a one-tool server (`ping` → "pong") through the MCP SDK v2 (`McpServer` and `NodeStreamableHTTPServerTransport`), a new server and ' +
      'stateless transport per request with a JSON response, as in the README\'s Quick start; no `initialize` comes first (a stateless server needs none). ' +
      (pairs === ''
        ? 'Only its unprotected half ran here: no ratio of the guard on an MCP request.'
        : 'The guarded route requires what the `guard` route does (the resource, `read:notes`). ' +
          `Its ratios are ${pairs}, the same call without the guard, not to (a) / (fa): that is the ratio a user of \`/mcp\` sees, the guard's cost ` +
          'against a request that also pays for the SDK. The unprotected MCP route\'s req/s next to the plain unprotected route\'s shows what the SDK itself costs.'),
    '',
  ];
}

function microSection(micro: MicroPhase): string[] {
  const modes = Object.keys(micro.microseconds);
  const contenders = [...new Set(modes.flatMap((mode) => Object.keys(micro.microseconds[mode]!)))];
  const medianOf = (mode: string, contender: string) => {
    const values = micro.microseconds[mode]?.[contender];
    return values && values.length > 0 ? median(values) : undefined;
  };
  const describe: Record<string, string> = {
    'signature-only': "the RS256 signature check alone, as ours runs it (Node's `crypto.verify` on the thread pool), nothing else checked",
    'signature-only-es256': 'the same for an ES256 token (the second issuer\'s; not a contender, the floor of the ES256 variants)',
    'jose-key': '`jose.jwtVerify`, public key already imported (the issue\'s floor per new token)',
    'jose-remote-jwks': '`jose.jwtVerify`, warmed `createRemoteJWKSet`',
    'ours-new': '**our verifier, new token** (cache miss)',
    'ours-cache-off': 'our verifier, cache turned off',
    'ours-cached': 'our verifier, the same token again (cache hit)',
  };
  const ratioTo = (floor: string) =>
    modes.map((mode) => {
      const ours = medianOf(mode, 'ours-new');
      const reference = medianOf(mode, floor);
      return ours !== undefined && reference !== undefined ? ours / reference : undefined;
    });
  const ratioCells = (ratios: Array<number | undefined>, bold: boolean) =>
    ratios.map((ratio) => (ratio === undefined ? 'n/a' : bold ? `**${ratio.toFixed(2)} ×**` : `${ratio.toFixed(2)} ×`)).join(' | ');
  return [
    '## Cost per new token (in-process micro-benchmark)',
    '',
    `RS256, distinct tokens from a pool of ${micro.poolSize} (cache ${micro.cacheMaxEntries} entries, so every "new token" is a miss); ` +
      `${micro.batch} verifications per contender and round, ${micro.rounds} rounds in rotating order, median µs/op. ` +
      'Our verifier comes from `McpAuthModule.forRoot()` with defaults; both verify issuer and audience.',
    '',
    `| contender | ${modes.map((mode) => `µs/op, ${mode} in flight`.replace('concurrency ', '')).join(' | ')} |`,
    `|---|${modes.map(() => '---:').join('|')}|`,
    ...contenders.map(
      (contender) => `| ${describe[contender] ?? contender} | ${modes.map((mode) => medianOf(mode, contender)?.toFixed(1) ?? 'n/a').join(' | ')} |`,
    ),
    `| **ratio ours-new / jose floor** (target ≤ ${NEW_TOKEN_TARGET}) | ${ratioCells(ratioTo('jose-key'), true)} |`,
    `| ratio ours-new / signature alone | ${ratioCells(ratioTo('signature-only'), false)} |`,
    '',
  ];
}

function bootstrapSection(measurements: BootstrapMeasurement[]): string[] {
  const apps = [...new Set(measurements.map((measurement) => measurement.app))];
  const med = (app: string, pick: (measurement: BootstrapMeasurement) => number) =>
    median(measurements.filter((measurement) => measurement.app === app).map(pick));
  const counts = (app: string, pick: (measurement: BootstrapMeasurement) => number) =>
    [...new Set(measurements.filter((measurement) => measurement.app === app).map(pick))].join(' / ');
  return [
    '## Bootstrap to the first verified request',
    '',
    `A fresh server process per measurement with only that route mounted (${measurements.length / apps.length} per app, median). ` +
      'The first request is sent the moment the child reports it listens, on a fresh connection, with a valid token. ' +
      'JWKS requests are counted at the dev authorization servers themselves (our module trusts two, so it prefetches two key sets).',
    '',
    '| app | fork → listening ms | of which Nest bootstrap ms | first request ms | second request ms | fork → first verified response ms | JWKS fetches when listening | JWKS fetches after first request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...apps.map(
      (app) =>
        `| ${app} | ${med(app, (m) => m.spawnToListeningMs).toFixed(0)} | ${med(app, (m) => m.nestBootstrapMs).toFixed(0)} | ` +
        `${med(app, (m) => m.firstRequestMs).toFixed(2)} | ${med(app, (m) => m.secondRequestMs).toFixed(2)} | ${med(app, (m) => m.spawnToFirstVerifiedMs).toFixed(0)} | ` +
        `${counts(app, (m) => m.jwksRequestsAtListening)} | ${counts(app, (m) => m.jwksRequestsAfterFirstRequest)} |`,
    ),
    '',
  ];
}

function memorySection(memory: MemoryPhase): string[] {
  const first = memory.samples[0]!;
  const beforeFlood = memory.samples.find((sample) => sample.label.startsWith('before the invalid'));
  const afterFlood = memory.samples.at(-1)!;
  const validRate = Math.round(memory.tokens / memory.validSeconds);
  const invalidRate = Math.round(memory.invalidTokens / memory.invalidSeconds);
  return [
    '## Resident memory of our verifier',
    '',
    `${memory.tokens} distinct valid ${memory.algorithm} tokens through the verifier from DI (defaults), 256 in flight, each verified twice so that it ` +
      `enters the verified-token cache (admitted on the second verification; the cache fills, then evicts), then ${memory.invalidTokens} invalid ones ` +
      `(${Object.entries(memory.invalidByKind)
        .map(([kind, count]) => `${count} ${kind}`)
        .join(', ')}). Each sample after two forced GCs. ` +
      `Valid tokens went through at ${validRate}/s (signing and both verifications included), invalid ones at ${invalidRate}/s (building them included).`,
    '',
    '| when | RSS MiB | heap used MiB | external MiB | cache entries |',
    '|---|---:|---:|---:|---:|',
    ...memory.samples.map(
      (sample) => `| ${sample.label} | ${sample.rssMiB} | ${sample.heapUsedMiB} | ${sample.externalMiB} | ${sample.cacheEntries ?? 'n/a'} |`,
    ),
    '',
    `Growth over the valid tokens: RSS ${signed(afterValid(memory).rssMiB - first.rssMiB)} MiB, heap ${signed(afterValid(memory).heapUsedMiB - first.heapUsedMiB)} MiB. ` +
      (beforeFlood
        ? `During the invalid-token flood: RSS ${signed(afterFlood.rssMiB - beforeFlood.rssMiB)} MiB, heap ${signed(afterFlood.heapUsedMiB - beforeFlood.heapUsedMiB)} MiB.`
        : ''),
    '',
  ];
}

function afterValid(memory: MemoryPhase) {
  return memory.samples.filter((sample) => sample.label.startsWith('after') && sample.label.includes('valid') && !sample.label.includes('invalid')).at(-1)!;
}

function ratioText(ratio: number | undefined): string {
  return ratio === undefined ? 'n/a' : ratio.toFixed(2);
}

function signed(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return rounded > 0 ? `+${rounded}` : `${rounded}`;
}
