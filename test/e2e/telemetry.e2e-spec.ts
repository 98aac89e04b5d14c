import { metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { McpAuthModule } from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';

const RESOURCE = 'http://127.0.0.1/mcp';

// The real OpenTelemetry SDK, registered before the app starts (as its docs require), exporting to memory.
describe.each(ADAPTERS)('OpenTelemetry signals of decisions (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let key: TestSigningKey;
  let app: RunningApp;
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
  const spanExporter = new InMemorySpanExporter();

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] }));
    key = await createSigningKey();
    as = await startDevAuthorizationServer({ port: 0, signingJwk: key.privateJwk, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes'] }] });
    app = await startProtectedApp(adapter, McpAuthModule.forRoot({ protectedResources: [{ resource: RESOURCE, authorizationServers: [as.issuer] }] }));
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
    metrics.disable();
    trace.disable();
  });

  it('counts decisions by outcome and reason, records their duration, and wraps each in a span', async () => {
    const token = await signAccessToken(key, { issuer: as.issuer, audience: RESOURCE });
    const rpc = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create-note' } };
    await fetch(`${app.url}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    await fetch(`${app.url}/mcp`, { headers: { authorization: `Bearer ${token}` } });
    await fetch(`${app.url}/mcp`);
    await fetch(`${app.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(rpc) });

    await reader.forceFlush();
    const exported: MetricData[] = metricExporter.getMetrics().flatMap((batch) => batch.scopeMetrics.flatMap((scope) => scope.metrics));
    const counter = exported.findLast((metric) => metric.descriptor.name === 'nestjs_mcp_auth.decisions')!;
    const counts = counter.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value }));
    expect(counts).toEqual(
      expect.arrayContaining([
        { attributes: expect.objectContaining({ 'nestjs_mcp_auth.outcome': 'admitted', 'nestjs_mcp_auth.resource': RESOURCE }), value: 2 },
        { attributes: expect.objectContaining({ 'nestjs_mcp_auth.outcome': 'refused', 'error.type': 'missing_credentials' }), value: 1 },
        {
          attributes: expect.objectContaining({
            'nestjs_mcp_auth.outcome': 'refused',
            'error.type': 'insufficient_scope',
            'mcp.method.name': 'tools/call',
            'gen_ai.tool.name': 'create-note',
          }),
          value: 1,
        },
      ]),
    );
    const histogram = exported.findLast((metric) => metric.descriptor.name === 'nestjs_mcp_auth.decision.duration')!;
    expect(histogram.descriptor.unit).toBe('s');
    expect(histogram.dataPoints.reduce((sum, point) => sum + (point.value as { count: number }).count, 0)).toBe(4);

    const spans = spanExporter.getFinishedSpans().filter((span) => span.name === 'nestjs_mcp_auth.authorize');
    expect(spans).toHaveLength(4);
    expect(spans.filter((span) => span.status.code === SpanStatusCode.ERROR).map((span) => span.attributes['error.type']).sort()).toEqual(['insufficient_scope', 'missing_credentials']);
    expect(spans[0]!.attributes).toMatchObject({ 'http.response.status_code': 200, 'nestjs_mcp_auth.client_id': 'test-client' });
    // Never a token, on any signal.
    expect(JSON.stringify(spans.map((span) => span.attributes)) + JSON.stringify(counts)).not.toContain(token);
  });
});
