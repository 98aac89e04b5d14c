import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clientCredentialsToken } from '../test/fixtures/dev-authorization-server.helpers.js';
import { BenchAuthorizationServers } from './authorization-servers.js';
import { DPOP_PROOF_MAX_AGE_SECONDS } from './bench-module-options.js';
import { BenchChild } from './child-process.js';
import { readBenchConfig, type BenchConfig } from './config.js';
import { dpopPreflightCases } from './dpop-preflight.js';
import { DpopProofPool } from './dpop-proof-pool.js';
import { DpopProofSigner } from './dpop-proofs.js';
import { runLoad, type LoadResult } from './load.js';
import { CHILD_SCRIPTS, PACKAGE_ROOT, RESULTS_DIR, TRIED_AND_DROPPED_FILE } from './paths.js';
import { summarizeCpuProfile } from './profile/cpu-profile-summary.js';
import { renderProfileMarkdown, type ProfileSection } from './profile/profile-report.js';
import { BENCH_DPOP_RESOURCE, BENCH_RESOURCE, BENCH_SCOPE, type ServerConfig } from './protocol.js';
import { ratioChartSvg } from './report/chart.js';
import { machineInfo, packageVersions } from './report/machine.js';
import { renderMarkdown } from './report/markdown.js';
import type { BenchReport, BootstrapMeasurement, LoadPhase, MemoryPhase, MicroPhase, VariantSummary } from './report/results.js';
import { isToolResult, requestFor, withBearer } from './route-request.js';
import { BenchServer, getOnce, getOnceWithHeaders, requestOnce } from './server-process.js';
import { median, minMax } from './stats.js';
import { keyFileOf, mintAccessToken, mintDpopBoundToken, mintRefusedTokens, mintTokenPool } from './tokens.js';
import {
  adapterOf,
  baselineIdOf,
  isMcpRoute,
  ROUTES,
  selectVariants,
  sendsDistinctTokens,
  VARIANTS,
  type BenchAdapter,
  type RouteName,
  type Variant,
} from './variants.js';
import type { MemoryConfig, MemoryMessage } from './verifier/memory.js';
import type { MicroConfig, MicroMessage } from './verifier/micro-benchmark.js';
import { poolDefeatsCache } from './pool-size.js';

// `npm run bench`: the load generator and conductor. Starts the two dev authorization servers here, mints
// the tokens, then runs each phase against child processes (server, micro-benchmark, memory test) and
// writes bench/results/latest.md and latest.svg. `npm run bench:profile` profiles the server instead.

/** The tokens of a run: one reused per algorithm, a pool of distinct ones per algorithm, and the DPoP route's. */
interface RunTokens {
  rs256: string;
  es256: string;
  /** Distinct RS256 tokens (the micro-benchmark's too), and as many ES256 ones from the second issuer. */
  pool: string[];
  es256Pool: string[];
  dpop: {
    /** The DPoP client's key, and an RS256 token for the DPoP resource bound to it (`cnf.jkt`). */
    signer: DpopProofSigner;
    bound: string;
    /** A valid token for the DPoP resource without `cnf`, for the preflight. */
    unbound: string;
  };
}

/**
 * When no load of this run has been measured yet, the request rate a DPoP proof pool is sized for: above
 * anything a route of this app reaches on a small machine (the pool signs the shortfall on the spot anyway).
 */
const DEFAULT_PROOF_POOL_RPS = 10_000;
/** Headroom of a proof pool over the fastest load of the run so far. */
const PROOF_POOL_HEADROOM = 1.3;

async function main(): Promise<void> {
  const config = readBenchConfig();
  const startedAt = performance.now();
  const machine = machineInfo();
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadAverage.toFixed(2)}`);

  const servers = await BenchAuthorizationServers.start(BENCH_RESOURCE);
  const scratch = await mkdtemp(join(tmpdir(), 'nestjs-mcp-auth-bench-'));
  try {
    log(`dev authorization servers: ${servers.rs.issuer} (RS256), ${servers.es.issuer} (ES256)`);
    const tokens = await mintTokens(servers, config);
    await mkdir(RESULTS_DIR, { recursive: true });
    if (config.profile) {
      await profileServer(config, servers, tokens, scratch);
      return;
    }

    const report: BenchReport = {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      machine,
      loadAverageAtEnd: 0,
      config,
      versions: packageVersions(),
      wallSeconds: 0,
    };
    if (!config.skip.has('load')) report.load = await measureLoad(config, servers, tokens);
    if (!config.skip.has('micro')) report.micro = await measureMicro(config, servers, tokens, scratch);
    if (!config.skip.has('bootstrap')) report.bootstrap = await measureBootstrap(config, servers, tokens);
    if (!config.skip.has('memory')) report.memory = await measureMemory(config, servers, scratch);
    report.loadAverageAtEnd = loadavg()[0] ?? 0;
    report.wallSeconds = (performance.now() - startedAt) / 1000;

    const markdownFile = join(RESULTS_DIR, `${config.outName}.md`);
    await writeFile(markdownFile, renderMarkdown(report));
    // Every round of every phase, for comparing runs (before / after a change) beyond the medians.
    await writeFile(join(RESULTS_DIR, `${config.outName}.json`), `${JSON.stringify({ ...report, config: { ...config, skip: [...config.skip] } }, null, 2)}\n`);
    if (report.load) {
      const subtitle = `${report.date} · ${machine.cpuModel} × ${machine.cores} · Node ${machine.node} · ${config.connections} connections, median of ${config.rounds} rounds`;
      await writeFile(join(RESULTS_DIR, `${config.outName}.svg`), ratioChartSvg(report.load.summaries, subtitle));
    }
    log(`wrote ${relative(PACKAGE_ROOT, markdownFile)} (+ .json${report.load ? ', .svg' : ''}) in ${Math.round(report.wallSeconds)} s`);
  } finally {
    await servers.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function mintTokens(servers: BenchAuthorizationServers, config: BenchConfig): Promise<RunTokens> {
  const mintStartedAt = performance.now();
  // Only the load test, the micro-benchmark and the profiles use the pool of distinct tokens.
  const poolSize = config.profile || !config.skip.has('load') || !config.skip.has('micro') ? config.poolSize : 0;
  const signer = await DpopProofSigner.create();
  // The ES256 pool only when a variant that runs sends one (a load of them, or a profile).
  const loaded = config.profile ? selectVariants(config.profileVariants) : config.skip.has('load') ? [] : selectVariants(config.variants);
  const es256PoolSize = loaded.some((variant) => variant.tokens === 'distinct-es256') ? poolSize : 0;
  const [rs256, es256, pool, es256Pool, bound, unbound] = await Promise.all([
    mintAccessToken(servers.rs.key, servers.rs.issuer, BENCH_RESOURCE),
    mintAccessToken(servers.es.key, servers.es.issuer, BENCH_RESOURCE),
    mintTokenPool(servers.rs.key, servers.rs.issuer, BENCH_RESOURCE, poolSize),
    mintTokenPool(servers.es.key, servers.es.issuer, BENCH_RESOURCE, es256PoolSize),
    mintDpopBoundToken(servers.rs.key, servers.rs.issuer, BENCH_DPOP_RESOURCE, signer.thumbprint),
    mintAccessToken(servers.rs.key, servers.rs.issuer, BENCH_DPOP_RESOURCE),
  ]);
  log(`minted ${pool.length + es256Pool.length + 4} tokens in ${((performance.now() - mintStartedAt) / 1000).toFixed(1)} s`);
  return { rs256, es256, pool, es256Pool, dpop: { signer, bound, unbound } };
}

/** Every route needed by the variants, the unprotected baseline always among them. */
function routesFor(variants: readonly Variant[]): RouteName[] {
  return [...new Set<RouteName>(['open', ...variants.map((variant) => variant.route)])];
}

function serverConfig(servers: BenchAuthorizationServers, routes: RouteName[], adapter: BenchAdapter = 'express'): ServerConfig {
  return { resource: BENCH_RESOURCE, rsIssuer: servers.rs.issuer, esIssuer: servers.es.issuer, routes, adapter };
}

/**
 * A token supplier per variant. Each distinct-token variant cycles its algorithm's pool with a cursor of its
 * own across rounds: with one shared cursor, our verifier would meet a token again after fewer than twice the
 * cache's size of its own requests (the peers' turns take the rest), still remember it, and serve it from the cache.
 */
function tokenSuppliers(tokens: RunTokens): (variant: Variant) => () => string {
  const cursors = new Map<string, number>();
  const distinctFor = (id: string, pool: string[]) => () => {
    const cursor = cursors.get(id) ?? 0;
    cursors.set(id, cursor + 1);
    return pool[cursor % pool.length]!;
  };
  const reused = { rs256: tokens.rs256, es256: tokens.es256, dpop: tokens.dpop.bound };
  return (variant) => {
    if (variant.tokens === 'distinct') return distinctFor(variant.id, tokens.pool);
    if (variant.tokens === 'distinct-es256') return distinctFor(variant.id, tokens.es256Pool);
    const token = reused[variant.tokens];
    return () => token;
  };
}

/**
 * How each load of a run is driven: the variant's tokens and, for the DPoP variant, a pool of fresh proofs
 * filled by `prepare` before every load (warm-ups included: a proof is good for one request, ever), outside
 * the server's CPU measurement, and sized from the fastest load seen so far. Its statistics go in the report.
 */
function loadDriver(config: BenchConfig, server: BenchServer, tokens: RunTokens) {
  const supplierFor = tokenSuppliers(tokens);
  const sign = tokens.dpop.signer.forRequest('GET', BENCH_DPOP_RESOURCE, tokens.dpop.bound);
  const proofs = new DpopProofPool(sign, DPOP_PROOF_MAX_AGE_SECONDS);
  let fastestRps = 0;
  const prepare = (variant: Variant, durationSeconds: number) => {
    if (variant.tokens !== 'dpop') return;
    const poolSize = config.dpopInline ? 0 : Math.ceil((fastestRps || DEFAULT_PROOF_POOL_RPS) * durationSeconds * PROOF_POOL_HEADROOM);
    proofs.fill(poolSize, durationSeconds);
  };
  const run = async (variant: Variant, durationSeconds: number) => {
    const result = await runLoad({
      url: server.url(variant.route),
      request: requestFor(variant.route),
      connections: config.connections,
      durationSeconds,
      nextToken: supplierFor(variant),
      ...(variant.tokens === 'dpop' ? { nextProof: () => proofs.next() } : {}),
    });
    fastestRps = Math.max(fastestRps, result.requestsPerSecond);
    return result;
  };
  const used = () => proofs.stats.pregenerated + proofs.stats.signedDuringLoad > 0;
  return { prepare, run, proofStats: () => (used() ? { ...proofs.stats } : undefined) };
}

/** A distinct-token round of ours must be all cache misses: the verified-token cache may not have grown. */
function assertNoCacheAdmissions<T extends LoadResult>(variant: Variant, result: T): T {
  const { before, after } = result.verifiedTokenCacheEntries ?? {};
  if (variant.kind === 'ours' && sendsDistinctTokens(variant) && before !== undefined && after !== undefined && after > before) {
    throw new Error(`(${variant.id}) let ${after - before} distinct tokens into the verified-token cache: its numbers would include hits`);
  }
  return result;
}

async function measureLoad(config: BenchConfig, servers: BenchAuthorizationServers, tokens: RunTokens): Promise<LoadPhase> {
  const variants = selectVariants(config.variants);
  // One app per adapter, measured one after the other; each variant's ratios are to its own app's baseline.
  const groups = (['express', 'fastify'] as const)
    .map((adapter) => ({ adapter, variants: variants.filter((variant) => adapterOf(variant) === adapter) }))
    .filter((group) => group.variants.length > 0);
  const measured: AdapterMeasurement[] = [];
  for (const group of groups) measured.push(await measureAdapter(config, servers, tokens, group.adapter, group.variants));
  const [first] = measured;
  const proofStats = combinedProofStats(measured.map((each) => each.dpopProofs));
  return {
    summaries: measured.flatMap((each) => each.summaries),
    poolSize: tokens.pool.length,
    cacheMaxEntries: measured.map((each) => each.cacheMaxEntries).find((entries) => entries !== undefined),
    preflight: first!.preflight,
    adapters: measured.map((each) => each.adapter),
    ...(proofStats ? { dpopProofs: proofStats } : {}),
  };
}

/** The proofs of every app's DPoP variant together (each app signs its own pools), undefined when none ran. */
function combinedProofStats(perApp: Array<LoadPhase['dpopProofs']>): LoadPhase['dpopProofs'] {
  const ran = perApp.filter((stats) => stats !== undefined);
  if (ran.length === 0) return undefined;
  const pregenerated = ran.reduce((sum, stats) => sum + stats.pregenerated, 0);
  const signMicros = ran.reduce((sum, stats) => sum + stats.signMicrosPerProof * stats.pregenerated, 0);
  return {
    pregenerated,
    signMicrosPerProof: pregenerated > 0 ? signMicros / pregenerated : 0,
    signedDuringLoad: ran.reduce((sum, stats) => sum + stats.signedDuringLoad, 0),
  };
}

interface AdapterMeasurement {
  adapter: BenchAdapter;
  summaries: VariantSummary[];
  cacheMaxEntries: number | undefined;
  preflight: LoadPhase['preflight'];
  dpopProofs: LoadPhase['dpopProofs'];
}

/** The load test of the variants of one adapter, in one server child, after its own preflight. */
async function measureAdapter(
  config: BenchConfig,
  servers: BenchAuthorizationServers,
  tokens: RunTokens,
  adapter: BenchAdapter,
  variants: Variant[],
): Promise<AdapterMeasurement> {
  const server = await BenchServer.start(serverConfig(servers, routesFor(variants), adapter));
  try {
    const cacheMaxEntries = server.ready.cacheMaxEntries;
    if (cacheMaxEntries !== undefined && !poolDefeatsCache(tokens.pool.length, cacheMaxEntries)) {
      throw new Error(`BENCH_POOL (${tokens.pool.length}) must exceed twice the verified-token cache (${cacheMaxEntries} entries)`);
    }
    const preflight = await runPreflight(server, servers, tokens, routesFor(variants));
    const driver = loadDriver(config, server, tokens);
    const load = (variant: Variant, durationSeconds: number) => {
      driver.prepare(variant, durationSeconds);
      return server.measureCpu(() => driver.run(variant, durationSeconds));
    };

    log(`${adapter}: warm-up ${config.warmupSeconds} s per variant`);
    for (const variant of variants) assertAllOk(variant, await load(variant, config.warmupSeconds));

    const runs = new Map<string, LoadResult[]>(variants.map((variant) => [variant.id, []]));
    for (let round = 0; round < config.rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        const result = assertNoCacheAdmissions(variant, assertAllOk(variant, await load(variant, config.durationSeconds)));
        runs.get(variant.id)!.push(result);
        log(
          `round ${round + 1}/${config.rounds} (${variant.id}) ${Math.round(result.requestsPerSecond)} req/s, ` +
            `p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, server CPU ${result.serverCpuMicrosPerRequest.toFixed(0)} µs/req`,
        );
      }
    }

    const medians = new Map(
      [...runs].map(([id, variantRuns]) => [
        id,
        { rps: median(variantRuns.map((run) => run.requestsPerSecond)), cpu: median(variantRuns.map((run) => run.serverCpuMicrosPerRequest!)) },
      ]),
    );
    const summaries = variants.map((variant): VariantSummary => {
      const variantRuns = runs.get(variant.id)!;
      const { min, max } = minMax(variantRuns.map((run) => run.requestsPerSecond));
      const own = medians.get(variant.id)!;
      // The ratios are to the variant's own baseline (the MCP pair's is the unprotected MCP route), when it ran.
      const baselineId = baselineIdOf(variant);
      const baseline = medians.get(baselineId);
      return {
        variant,
        runs: variantRuns,
        medianRps: own.rps,
        minRps: min,
        maxRps: max,
        p50Ms: median(variantRuns.map((run) => run.p50Ms)),
        p99Ms: median(variantRuns.map((run) => run.p99Ms)),
        baseline: baseline === undefined ? undefined : baselineId,
        ratio: baseline === undefined ? undefined : own.rps / baseline.rps,
        cpuMicrosPerRequest: own.cpu,
        cpuRatio: baseline === undefined ? undefined : baseline.cpu / own.cpu,
      };
    });
    const dpopProofs = driver.proofStats();
    if (dpopProofs) {
      log(
        `DPoP proofs: ${dpopProofs.pregenerated} signed ahead of the loads (${dpopProofs.signMicrosPerProof.toFixed(0)} µs each), ` +
          `${dpopProofs.signedDuringLoad} signed during a load because a pool ran short`,
      );
    }
    return { adapter, summaries, cacheMaxEntries, preflight, dpopProofs };
  } finally {
    await server.stop().catch(() => server.kill());
  }
}

/** A measurement is only worth reporting if every request was answered 2xx. */
function assertAllOk<T extends LoadResult>(variant: Variant, result: T): T {
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`(${variant.id}) ${variant.label}: ${result.non2xx} non-2xx responses and ${result.errors} errors under load`);
  }
  return result;
}

/** Routes that let any token through: unprotected, or behind a no-op guard. */
const UNCHECKED_ROUTES: readonly RouteName[] = ['open', 'noop-guard', 'noop-guard-interceptor', 'mcp-open'];
/** Routes behind our guard for the Bearer resource: it trusts the second (ES256) issuer, which the peers do not. */
const OUR_BEARER_ROUTES: readonly RouteName[] = ['guard', 'mcp-guard'];

/**
 * Every route gets the valid tokens and the refused ones before anything is measured, in the request it
 * gets under load (the MCP routes a `tools/call`, whose 2xx answers must be the tool's result). Comparing
 * speed only makes sense between routes that check the same things, so a protected route that lets a
 * refused token through, or refuses a valid one, stops the run.
 */
async function runPreflight(
  server: BenchServer,
  servers: BenchAuthorizationServers,
  tokens: RunTokens,
  routes: RouteName[],
): Promise<LoadPhase['preflight']> {
  const issued = await clientCredentialsToken(servers.rs.devServer, { resource: BENCH_RESOURCE, scope: BENCH_SCOPE });
  const cases: Array<{ token: string; value: string | undefined; expected: (route: RouteName) => number; label: string }> = [
    { token: 'valid RS256 (minted)', value: tokens.rs256, expected: () => 200, label: '200' },
    { token: 'valid RS256 (issued by the dev AS, client_credentials)', value: issued.access_token, expected: () => 200, label: '200' },
    {
      token: 'valid ES256 (second issuer, trusted by ours only)',
      value: tokens.es256,
      expected: (route) => (UNCHECKED_ROUTES.includes(route) || OUR_BEARER_ROUTES.includes(route) ? 200 : 401),
      label: '200 ours / 401 peers',
    },
    ...(await mintRefusedTokens(servers.rs.key, servers.rs.issuer, BENCH_RESOURCE)).map((refused) => ({
      token: refused.name,
      value: refused.token,
      expected: (route: RouteName) => (UNCHECKED_ROUTES.includes(route) ? 200 : refused.expected),
      label: String(refused.expected),
    })),
  ];
  // The DPoP route's resource is another audience: it gets its own cases (below), not these.
  const bearerRoutes = routes.filter((route) => route !== 'dpop');
  const routeLabel = (route: RouteName) => `${requestFor(route).method} ${ROUTES[route]}`;
  const rows: LoadPhase['preflight']['rows'] = [];
  const problems: string[] = [];
  for (const testCase of cases) {
    const statuses: number[] = [];
    for (const route of bearerRoutes) {
      const { status, body } = await requestOnce(server.url(route), withBearer(requestFor(route), testCase.value));
      statuses.push(status);
      const expected = testCase.expected(route);
      const accepted = status >= 200 && status < 300;
      if (accepted !== (expected >= 200 && expected < 300)) problems.push(`${routeLabel(route)} answered ${status} to "${testCase.token}" (expected ${expected})`);
      else if (accepted && isMcpRoute(route) && !isToolResult(body)) problems.push(`${routeLabel(route)} answered "${testCase.token}" without the tool's result: ${body}`);
      else if (status !== expected) log(`preflight: ${routeLabel(route)} answered ${status} to "${testCase.token}" (a standards-exact server answers ${expected})`);
    }
    rows.push({ token: testCase.token, expected: testCase.label, statuses });
  }
  const dpopRows: NonNullable<LoadPhase['preflight']['dpop']> = [];
  if (routes.includes('dpop')) {
    const url = server.url('dpop');
    const dpopCases = await dpopPreflightCases({ ...tokens.dpop, htu: BENCH_DPOP_RESOURCE, requestUrl: url });
    for (const testCase of dpopCases) {
      const { status } = await getOnceWithHeaders(url, testCase.headers);
      if (status !== testCase.expected) problems.push(`${ROUTES.dpop} answered ${status} to "${testCase.name}" (expected ${testCase.expected})`);
      dpopRows.push({ request: testCase.name, expected: testCase.expected, status });
    }
  }
  if (problems.length > 0) throw new Error(`preflight failed, the comparison would be meaningless:\n- ${problems.join('\n- ')}`);
  log(`preflight: ${cases.length} tokens × ${bearerRoutes.length} routes${dpopRows.length > 0 ? ` and ${dpopRows.length} DPoP requests` : ''} as expected`);
  return { routes: bearerRoutes.map(routeLabel), rows, ...(dpopRows.length > 0 ? { dpop: dpopRows } : {}) };
}

async function measureMicro(config: BenchConfig, servers: BenchAuthorizationServers, tokens: RunTokens, scratch: string): Promise<MicroPhase> {
  log(`micro-benchmark: ${config.microRounds} rounds × ${config.microBatch} verifications per contender`);
  const child = await startMicroBenchmark(config, servers, tokens, scratch);
  try {
    const result = await child.next('result');
    await child.exit();
    return {
      microseconds: result.microseconds,
      cpuMicroseconds: result.cpuMicroseconds,
      dpopMicroseconds: result.dpopMicroseconds,
      dpopCpuMicroseconds: result.dpopCpuMicroseconds,
      cacheMaxEntries: result.cacheMaxEntries,
      poolSize: result.poolSize,
      rounds: config.microRounds,
      batch: config.microBatch,
    };
  } finally {
    child.kill();
  }
}

/** Profiles our verifier in the micro-benchmark child; returns how many tokens it verified meanwhile. */
async function profileVerifier(config: BenchConfig, servers: BenchAuthorizationServers, tokens: RunTokens, scratch: string, file: string): Promise<number> {
  const child = await startMicroBenchmark(config, servers, tokens, scratch, file);
  try {
    const { verifications } = await child.next('profiled');
    await child.exit();
    return verifications;
  } finally {
    child.kill();
  }
}

async function startMicroBenchmark(
  config: BenchConfig,
  servers: BenchAuthorizationServers,
  tokens: RunTokens,
  scratch: string,
  profileFile?: string,
): Promise<BenchChild<MicroMessage>> {
  const poolFile = join(scratch, 'pool.json');
  await writeFile(poolFile, JSON.stringify(tokens.pool));
  const microConfig: MicroConfig = {
    resource: BENCH_RESOURCE,
    issuers: [servers.rs.issuer, servers.es.issuer],
    issuer: servers.rs.issuer,
    es256: { issuer: servers.es.issuer, token: tokens.es256 },
    poolFile,
    rounds: config.microRounds,
    batch: config.microBatch,
    concurrencies: [1, 16],
    profileFile,
  };
  return BenchChild.start<MicroMessage>('micro-benchmark', CHILD_SCRIPTS.microBenchmark, { BENCH_MICRO_CONFIG: JSON.stringify(microConfig) }, [
    '--expose-gc',
  ]);
}

/**
 * Fresh server processes with one protected route each: the time to the first verified response, and the
 * JWKS requests the authorization servers saw by the time the app listened and after its first request.
 */
async function measureBootstrap(config: BenchConfig, servers: BenchAuthorizationServers, tokens: RunTokens): Promise<BootstrapMeasurement[]> {
  const apps: Array<[label: string, route: RouteName]> = [
    ['nestjs-mcp-auth (BearerAuthGuard)', 'guard'],
    ['mcp-auth', 'mcp-auth'],
    ['express-oauth2-jwt-bearer', 'auth0'],
    ['MCP SDK requireBearerAuth + jose', 'mcp-sdk'],
  ];
  log(`bootstrap: ${config.bootRounds} fresh servers per app`);
  const measurements: BootstrapMeasurement[] = [];
  for (let round = 0; round < config.bootRounds; round++) {
    const order = round % 2 === 0 ? apps : [...apps].reverse();
    for (const [label, route] of order) {
      const jwksBefore = servers.jwksRequests();
      const server = await BenchServer.start(serverConfig(servers, [route]));
      try {
        const jwksRequestsAtListening = servers.jwksRequests() - jwksBefore;
        const first = await getOnce(server.url(route), tokens.rs256);
        const firstAnsweredAt = performance.now();
        const jwksRequestsAfterFirstRequest = servers.jwksRequests() - jwksBefore;
        const second = await getOnce(server.url(route), tokens.rs256);
        if (first.status !== 200 || second.status !== 200) throw new Error(`${label}: first requests answered ${first.status}, ${second.status}`);
        measurements.push({
          app: label,
          spawnToListeningMs: server.readyAtMs - server.spawnedAtMs,
          nestBootstrapMs: server.ready.listeningAtMs - server.ready.mainStartedAtMs,
          firstRequestMs: first.ms,
          secondRequestMs: second.ms,
          spawnToFirstVerifiedMs: firstAnsweredAt - server.spawnedAtMs,
          jwksRequestsAtListening,
          jwksRequestsAfterFirstRequest,
        });
      } finally {
        await server.stop().catch(() => server.kill());
      }
    }
  }
  return measurements;
}

async function measureMemory(config: BenchConfig, servers: BenchAuthorizationServers, scratch: string): Promise<MemoryPhase> {
  log(`memory: ${config.memoryTokens} valid then ${config.invalidTokens} invalid tokens through our verifier`);
  const keyFile = join(scratch, 'es256-key.json');
  await writeFile(keyFile, JSON.stringify(keyFileOf(servers.es.key, servers.es.issuer)), { mode: 0o600 });
  const memoryConfig: MemoryConfig = {
    resource: BENCH_RESOURCE,
    issuers: [servers.rs.issuer, servers.es.issuer],
    keyFile,
    tokens: config.memoryTokens,
    invalidTokens: config.invalidTokens,
  };
  const child = BenchChild.start<MemoryMessage>('memory test', CHILD_SCRIPTS.memory, { BENCH_MEMORY_CONFIG: JSON.stringify(memoryConfig) }, [
    '--expose-gc',
  ]);
  try {
    const result = await child.next('result', 60 * 60_000);
    await child.exit();
    return { ...result, tokens: config.memoryTokens, invalidTokens: config.invalidTokens, algorithm: 'ES256' };
  } finally {
    child.kill();
  }
}

/** `npm run bench:profile`: CPU profiles of the server under chosen variants, summarised in profile.md. */
async function profileServer(config: BenchConfig, servers: BenchAuthorizationServers, tokens: RunTokens, scratch: string): Promise<void> {
  const variants = selectVariants(config.profileVariants);
  // One server child is profiled: its variants must share an adapter.
  const adapters = new Set(variants.map(adapterOf));
  if (adapters.size > 1) throw new Error('BENCH_PROFILE_VARIANTS must all be Express variants or all Fastify ones (one server is profiled)');
  const server = await BenchServer.start(serverConfig(servers, routesFor(variants), adapterOf(variants[0]!)));
  try {
    const driver = loadDriver(config, server, tokens);
    const load = (variant: Variant, durationSeconds: number) => {
      driver.prepare(variant, durationSeconds);
      return driver.run(variant, durationSeconds);
    };
    for (const variant of variants) assertAllOk(variant, await load(variant, Math.max(2, config.warmupSeconds)));
    const sections: ProfileSection[] = [];
    for (const variant of variants) {
      const file = join(RESULTS_DIR, `profile-${variant.id}.cpuprofile`);
      driver.prepare(variant, config.durationSeconds);
      const result = assertAllOk(variant, await server.profile(file, () => driver.run(variant, config.durationSeconds)));
      const detail = `${Math.round(result.requestsPerSecond)} req/s while profiled (the profiler slows it down)`;
      sections.push({ title: `(${variant.id}) ${variant.label}`, detail, profileFile: relative(PACKAGE_ROOT, file), summary: await summarizeCpuProfile(file) });
      log(`profiled (${variant.id}) ${variant.label}: ${Math.round(result.requestsPerSecond)} req/s`);
    }
    const verifierFile = join(RESULTS_DIR, 'profile-verifier.cpuprofile');
    const verifications = await profileVerifier(config, servers, tokens, scratch, verifierFile);
    sections.push({
      title: 'Our verifier alone, a new RS256 token per call',
      detail: `${verifications} verifications, one in flight, in process (no HTTP)`,
      profileFile: relative(PACKAGE_ROOT, verifierFile),
      summary: await summarizeCpuProfile(verifierFile),
    });
    log(`profiled the verifier: ${verifications} new tokens`);
    const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const triedAndDropped = await readFile(TRIED_AND_DROPPED_FILE, 'utf8');
    await writeFile(
      join(RESULTS_DIR, 'profile.md'),
      renderProfileMarkdown(date, machineInfo(), config.durationSeconds, config.connections, sections, triedAndDropped),
    );
    log(`wrote ${relative(PACKAGE_ROOT, join(RESULTS_DIR, 'profile.md'))}`);
  } finally {
    await server.stop().catch(() => server.kill());
  }
}

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

// Keep the list of variant ids discoverable from the command line.
if (process.argv.includes('--list')) {
  for (const variant of VARIANTS) console.log(`${variant.id}\t${variant.label}`);
} else {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  });
}
