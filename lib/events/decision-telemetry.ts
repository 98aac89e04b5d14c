import type { AuthDecision } from './auth-decision.js';

// The slice of @opentelemetry/api used here, structurally: the library never imports the package at
// compile time, and loads it only when it is installed (an optional peer).
interface Attributes {
  [name: string]: string | number | undefined;
}
interface Span {
  setAttributes(attributes: Attributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}
interface Constructed {
  constructor: unknown;
}
export interface OpenTelemetryApi {
  createNoopMeter(): Constructed;
  ProxyTracerProvider: new () => { getDelegate(): Constructed };
  metrics: {
    getMeter(name: string, version?: string): {
      createCounter(name: string, options?: { description?: string; unit?: string }): { add(value: number, attributes?: Attributes): void };
      createHistogram(name: string, options?: { description?: string; unit?: string }): { record(value: number, attributes?: Attributes): void };
    };
  };
  trace: {
    getTracer(name: string, version?: string): { startSpan(name: string, options?: { kind?: number; attributes?: Attributes }): Span };
    getTracerProvider(): Constructed & { getDelegate?(): Constructed };
  };
}

const INSTRUMENTATION = 'nestjs-mcp-auth';
const SPAN_STATUS_ERROR = 2;
const SPAN_KIND_INTERNAL = 0;

/**
 * Decisions as OpenTelemetry signals: a counter of decisions by outcome and reason, a histogram of how long
 * deciding took, and a span around each decision. Only when an SDK is registered before the application
 * starts (as the OpenTelemetry docs ask): with the API alone every call would be a no-op, so none is made. Attribute names follow the semantic conventions where
 * they exist (`mcp.method.name`, `gen_ai.tool.name`, `mcp.resource.uri`, `gen_ai.prompt.name`, `error.type`,
 * `http.response.status_code`); the rest are namespaced `nestjs_mcp_auth.*`. Metric attributes are low
 * cardinality only (no client or subject).
 */
export class DecisionTelemetry {
  private readonly decisions;
  private readonly duration;
  private readonly tracer;

  /** `undefined` unless an OpenTelemetry SDK is registered for metrics or traces: then nothing would be recorded. */
  static forRegisteredSdk(api: OpenTelemetryApi): DecisionTelemetry | undefined {
    const meter = api.metrics.getMeter(INSTRUMENTATION);
    const metrics = (meter as unknown as Constructed).constructor !== api.createNoopMeter().constructor;
    const delegate = api.trace.getTracerProvider().getDelegate?.();
    const traces = delegate !== undefined && delegate.constructor !== new api.ProxyTracerProvider().getDelegate().constructor;
    return metrics || traces ? new DecisionTelemetry(api, { metrics, traces }) : undefined;
  }

  private constructor(api: OpenTelemetryApi, signals: { metrics: boolean; traces: boolean }) {
    const meter = api.metrics.getMeter(INSTRUMENTATION);
    this.decisions = signals.metrics
      ? meter.createCounter('nestjs_mcp_auth.decisions', { description: 'Authorization decisions, by outcome and reason', unit: '{decision}' })
      : undefined;
    this.duration = signals.metrics
      ? meter.createHistogram('nestjs_mcp_auth.decision.duration', { description: 'Time to reach an authorization decision', unit: 's' })
      : undefined;
    this.tracer = signals.traces ? api.trace.getTracer(INSTRUMENTATION) : undefined;
  }

  /** A span for the decision about to be taken (when traces are recorded); ended by {@link record}. */
  startSpan(): Span | undefined {
    return this.tracer?.startSpan('nestjs_mcp_auth.authorize', { kind: SPAN_KIND_INTERNAL });
  }

  record(decision: AuthDecision, span: Span | undefined): void {
    const attributes: Attributes = {
      'nestjs_mcp_auth.outcome': decision.outcome,
      'nestjs_mcp_auth.source': decision.source,
      'nestjs_mcp_auth.resource': decision.resource,
      'error.type': decision.reason,
      'mcp.method.name': decision.operation?.method,
      ...operationAttributes(decision, 'metric'),
    };
    this.decisions?.add(1, attributes);
    this.duration?.record(decision.durationMs / 1000, attributes);
    if (span) {
      span.setAttributes({
        ...attributes,
        ...operationAttributes(decision, 'span'),
        'http.response.status_code': decision.status,
        'nestjs_mcp_auth.client_id': decision.clientId,
      });
      if (decision.outcome !== 'admitted') span.setStatus({ code: SPAN_STATUS_ERROR, message: decision.reason });
      span.end();
    }
  }
}

/** The operation's name: tool and prompt names on both signals, a resource URI (unbounded) on spans only. */
function operationAttributes({ operation }: AuthDecision, signal: 'metric' | 'span'): Attributes {
  if (!operation?.kind || operation.name === undefined) return {};
  if (operation.kind === 'resource') return signal === 'span' ? { 'mcp.resource.uri': operation.name } : {};
  return { [operation.kind === 'tool' ? 'gen_ai.tool.name' : 'gen_ai.prompt.name']: operation.name };
}

/** Loads `@opentelemetry/api` when it is installed; `undefined` when it is not. */
export async function loadOpenTelemetry(): Promise<OpenTelemetryApi | undefined> {
  try {
    return await import('@opentelemetry/api');
  } catch {
    return undefined;
  }
}
