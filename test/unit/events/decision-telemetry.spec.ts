import * as api from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionTelemetry, loadOpenTelemetry, type OpenTelemetryApi } from '../../../lib/events/decision-telemetry.js';

describe('DecisionTelemetry.forRegisteredSdk', () => {
  afterEach(() => {
    api.metrics.disable();
    api.trace.disable();
  });

  it('records nothing (and costs the guard nothing) with the API alone and no SDK registered', async () => {
    const loaded = await loadOpenTelemetry();
    expect(loaded).toBeDefined();
    expect(DecisionTelemetry.forRegisteredSdk(loaded!)).toBeUndefined();
  });

  it('records once a meter provider or a tracer provider is registered', () => {
    api.metrics.setGlobalMeterProvider(new MeterProvider());
    expect(DecisionTelemetry.forRegisteredSdk(api as unknown as OpenTelemetryApi)).toBeInstanceOf(DecisionTelemetry);
    api.metrics.disable();
    api.trace.setGlobalTracerProvider(new BasicTracerProvider());
    const telemetry = DecisionTelemetry.forRegisteredSdk(api);
    expect(telemetry?.startSpan()).toBeDefined();
  });
});
