import type { McpOperationKind } from '../operations/mcp-operation.js';

/**
 * One authorization decision, as published to listeners (audit logs, metrics). It holds who asked for what
 * and how it ended — never a token, a proof, or a claim value beyond the fields named here.
 */
export interface AuthDecision {
  /** `admitted`, `refused` (the client's credentials or permissions), or `unavailable` (an outage: 503). */
  outcome: 'admitted' | 'refused' | 'unavailable';
  /**
   * Why a request was not admitted: the RFC 6750 / RFC 9449 error code (`invalid_token`, `insufficient_scope`,
   * `invalid_dpop_proof`, `use_dpop_nonce`, `invalid_request`, `access_denied`, `temporarily_unavailable`),
   * `missing_credentials` for a request without any, or `header_mismatch` for SEP-2243 headers that disagree
   * with the body.
   */
  reason?: string;
  /** The HTTP status answered (200 for an admitted request: the handler decides the rest). */
  status: number;
  /** Who decided: the guard, or a tool method's own check (`@RequireScopes()` on a tool provider). */
  source: 'guard' | 'tool';
  /** The protected resource identifier. */
  resource: string;
  /** The caller, once its token was verified. */
  issuer?: string;
  clientId?: string;
  subject?: string;
  principalType?: 'user' | 'client';
  /** The JSON-RPC method and the tool, resource or prompt it named, when the request carried one. */
  operation?: { method: string; kind?: McpOperationKind; name?: string };
  /** The tool method that decided (`NotesTools.createNote`), for `source: 'tool'`. */
  toolMethod?: string;
  /** `Bearer` or `DPoP`, when credentials came. */
  scheme?: 'Bearer' | 'DPoP';
  /** From the guard's start to its decision, in milliseconds. */
  durationMs: number;
}

/** Receives every decision, synchronously, on the request's path: keep it quick, hand slow work off. */
export type AuthDecisionListener = (decision: AuthDecision) => void;
