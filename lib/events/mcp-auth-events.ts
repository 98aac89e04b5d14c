import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { AuthenticationFailure } from '../errors/authentication-failures.js';
import type { HttpRequestLike } from '../http/request-access.js';
import { MCP_AUTH_LOGGER_CONTEXT } from '../mcp-auth.constants.js';
import { readJsonRpcCalls } from '../operations/json-rpc-calls.js';
import type { AuthInfo } from '../verification/auth-info.interface.js';
import type { AuthDecision, AuthDecisionListener } from './auth-decision.js';
import { DecisionTelemetry } from './decision-telemetry.js';

/** Injection token of the OpenTelemetry recorder: absent when `@opentelemetry/api` is not installed. */
export const MCP_AUTH_TELEMETRY = Symbol('nestjs-mcp-auth:telemetry');

const PENDING = Symbol('nestjs-mcp-auth:pending-decision');

/** What the guard has learnt about a request so far, kept on the request until it decides. */
interface PendingDecision {
  startedAt: number;
  span?: ReturnType<DecisionTelemetry['startSpan']>;
  auth?: AuthInfo;
}

type DecidingRequest = HttpRequestLike & { [PENDING]?: PendingDecision };

/**
 * Where authorization decisions go: to every subscribed listener and, when `@opentelemetry/api` is
 * installed, to OpenTelemetry. With neither, {@link enabled} is `false` and the guard does no event work at
 * all. A listener that throws is logged and ignored: an audit sink never changes a decision.
 *
 * ```ts
 * constructor(events: McpAuthEvents) { events.subscribe((decision) => audit.write(decision)); }
 * ```
 */
@Injectable()
export class McpAuthEvents {
  private readonly logger = new Logger(MCP_AUTH_LOGGER_CONTEXT);
  private readonly listeners = new Set<AuthDecisionListener>();

  constructor(@Optional() @Inject(MCP_AUTH_TELEMETRY) private readonly telemetry?: DecisionTelemetry) {}

  /** Whether decisions are published at all (a listener, or OpenTelemetry). */
  get enabled(): boolean {
    return this.listeners.size > 0 || this.telemetry !== undefined;
  }

  /** Calls `listener` with every decision from now on; returns the function that stops it. */
  subscribe(listener: AuthDecisionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The guard starts deciding about `request`. */
  begin(request: HttpRequestLike): void {
    (request as DecidingRequest)[PENDING] = { startedAt: performance.now(), span: this.telemetry?.startSpan() };
  }

  /** The guard verified the caller of `request` (it may still refuse it, for scopes). */
  identify(request: HttpRequestLike, auth: AuthInfo): void {
    const pending = (request as DecidingRequest)[PENDING];
    if (pending) pending.auth = auth;
  }

  /** The guard let `request` in. */
  admitted(request: HttpRequestLike, resource: string, auth: AuthInfo, scheme: 'Bearer' | 'DPoP'): void {
    this.finish(request, { outcome: 'admitted', status: 200, source: 'guard', resource, scheme, ...caller(auth) });
  }

  /** The guard refused `request` with `failure` (or, for headers that disagree with the body, a 400). */
  refused(request: HttpRequestLike, resource: string, failure: AuthenticationFailure | { status: 400; reason: 'header_mismatch' }, scheme?: 'Bearer' | 'DPoP'): void {
    const auth = (request as DecidingRequest)[PENDING]?.auth;
    const reason = 'reason' in failure ? failure.reason : (failure.error ?? 'missing_credentials');
    this.finish(request, {
      outcome: failure.status === 503 ? 'unavailable' : 'refused',
      reason,
      status: failure.status,
      source: 'guard',
      resource,
      scheme,
      ...(auth ? caller(auth) : {}),
    });
  }

  /** A tool method's own check decided (`@RequireScopes()` on a tool provider method), outside the guard. */
  toolDecided(toolMethod: string, auth: AuthInfo | undefined, failure: AuthenticationFailure | undefined): void {
    this.publish({
      outcome: failure ? 'refused' : 'admitted',
      reason: failure ? (failure.error ?? 'missing_credentials') : undefined,
      status: failure ? failure.status : 200,
      source: 'tool',
      toolMethod,
      resource: auth?.resource?.href ?? '',
      ...(auth ? caller(auth) : {}),
      // The check is a few comparisons on the caller the guard verified: nothing worth timing.
      durationMs: 0,
    }, this.telemetry?.startSpan());
  }

  private finish(request: HttpRequestLike, decision: Omit<AuthDecision, 'durationMs' | 'operation'>): void {
    const pending = (request as DecidingRequest)[PENDING];
    (request as DecidingRequest)[PENDING] = undefined;
    const durationMs = pending ? performance.now() - pending.startedAt : 0;
    this.publish({ ...decision, operation: operationOf(request), durationMs }, pending?.span);
  }

  private publish(decision: AuthDecision, span: ReturnType<DecisionTelemetry['startSpan']> | undefined): void {
    this.telemetry?.record(decision, span);
    for (const listener of this.listeners) {
      try {
        listener(decision);
      } catch (error) {
        this.logger.error(`An auth decision listener threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** The caller's identity as a decision names it: issuer, client, subject, principal type; no other claim. */
function caller(auth: AuthInfo): Pick<AuthDecision, 'issuer' | 'clientId' | 'subject' | 'principalType'> {
  return { issuer: auth.issuer, clientId: auth.clientId, subject: auth.subject, principalType: auth.principalType };
}

/** The first JSON-RPC call of the body, as the decision names it. */
function operationOf(request: HttpRequestLike): AuthDecision['operation'] {
  const call = readJsonRpcCalls(request.body)?.[0];
  if (!call) return undefined;
  return call.target ? { method: call.method, kind: call.target.kind, name: call.target.name } : { method: call.method };
}
