import { Inject, Injectable, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions } from '../options/resolved-options.js';
import { missingScopes } from '../scopes/scope-matching.js';
import { toolMethodRequirements } from './tool-scope-requirements.js';

/** What the MCP SDK v2 expects back from a per-tool `scopeChallenge` (structurally its `ScopeChallenge`). */
export interface ToolScopeChallenge {
  scopes: readonly [string, ...string[]];
  errorDescription?: string;
}

/** Structurally the MCP SDK v2 `ScopeChallengeHandler`, without importing the SDK. */
export type ToolScopeChallengeHandler = (context: {
  request: unknown;
  authInfo?: { scopes: string[] };
}) => ToolScopeChallenge | undefined;

/**
 * Connects `@RequireScopes()` on MCP tool provider methods to the MCP SDK v2 per-tool `scopeChallenge`,
 * so the decorator is the single place a tool's scopes are declared and a `tools/call` without them is
 * answered with HTTP 403 `insufficient_scope` (listing every scope the tool needs, C9) before it runs.
 *
 * ```ts
 * server.registerTool('create-note', { …, scopeChallenge: toolScopes.challengeFor(NotesTools, 'createNote') }, …)
 * ```
 */
@Injectable()
export class McpToolScopes {
  constructor(
    private readonly reflector: Reflector,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
  ) {}

  /** The scopes a tool method requires (class ∪ method); empty when it declares none. */
  requiredScopes<T>(provider: Type<T> | T, method: keyof T & (string | symbol)): string[] {
    return toolMethodRequirements(this.reflector, provider as object, method)?.scopes ?? [];
  }

  /** A `scopeChallenge` handler for the SDK's `registerTool`, honouring the scope hierarchy (T12). */
  challengeFor<T>(provider: Type<T> | T, method: keyof T & (string | symbol)): ToolScopeChallengeHandler {
    const required = this.requiredScopes(provider, method);
    const hierarchy = this.options.scopeHierarchy;
    return ({ authInfo }) => {
      // No authInfo means the request was not authenticated: that is the HTTP gate's job, not ours.
      if (!authInfo || required.length === 0) return undefined;
      if (missingScopes(required, authInfo.scopes, hierarchy).length === 0) return undefined;
      return { scopes: required as [string, ...string[]], errorDescription: 'The access token lacks a scope this tool requires' };
    };
  }
}
