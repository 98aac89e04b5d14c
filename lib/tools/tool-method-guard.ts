import {
  InsufficientRoleFailure,
  InsufficientScopeFailure,
  MissingCredentialsFailure,
  type AuthenticationFailure,
} from '../errors/authentication-failures.js';
import type { AuthInfoParameter } from '../decorators/auth-info.decorator.js';
import { missingScopes, type CompiledScopeHierarchy } from '../scopes/scope-matching.js';
import type { AuthInfo } from '../verification/auth-info.interface.js';

/** Everything a guarded tool method needs to check its caller. */
export interface ToolMethodPolicy {
  name: string;
  requiredScopes: readonly string[];
  /** Roles the caller must all hold (`@RequireRoles()`); none when omitted. */
  requiredRoles?: readonly string[];
  authInfoParameters: readonly AuthInfoParameter[];
  hierarchy: CompiledScopeHierarchy;
  currentAuth: () => AuthInfo | undefined;
  /** Told of every decision (the refusal, or `undefined` when the call may go on), for auth events. */
  decided?: (refusal: AuthenticationFailure | undefined, auth: AuthInfo | undefined) => void;
}

/**
 * Wraps a tool method so that it runs only for an authenticated caller with its scopes (defence in
 * depth behind the scope challenge) and roles, and receives the caller's AuthInfo in its `@AuthInfo()`
 * parameters. Scopes are checked before roles: a missing scope can be fixed by stepping up, a role can't.
 */
export function guardToolMethod<F extends (...args: unknown[]) => unknown>(method: F, policy: ToolMethodPolicy): F {
  const guarded = function (this: unknown, ...args: unknown[]): unknown {
    const auth = policy.currentAuth();
    const refusal = refusalOf(auth, policy);
    policy.decided?.(refusal, auth);
    if (refusal) throw refusal;
    for (const { index, field } of policy.authInfoParameters) args[index] = field ? auth![field] : auth;
    return method.apply(this, args);
  };
  // An async method reports refusals as a rejected promise, as its callers expect, never as a sync throw.
  const wrapper = isAsyncFunction(method)
    ? async function (this: unknown, ...args: unknown[]): Promise<unknown> {
        return await guarded.apply(this, args);
      }
    : guarded;
  Object.defineProperty(wrapper, 'name', { value: method.name });
  return wrapper as F;
}

/** Why the caller may not run the method, or `undefined` when it may. */
function refusalOf(auth: AuthInfo | undefined, policy: ToolMethodPolicy): AuthenticationFailure | undefined {
  if (!auth) {
    return new MissingCredentialsFailure(`${policy.name} requires an authenticated caller and was called outside an authenticated request`);
  }
  if (missingScopes(policy.requiredScopes, auth.scopes, policy.hierarchy).length > 0) {
    return new InsufficientScopeFailure(policy.requiredScopes, `${policy.name} requires the scopes: ${policy.requiredScopes.join(' ')}`);
  }
  const roles = policy.requiredRoles ?? [];
  if (!roles.every((role) => auth.roles.includes(role))) {
    return new InsufficientRoleFailure(roles, `${policy.name} requires the roles: ${roles.join(' ')}`);
  }
  return undefined;
}

function isAsyncFunction(method: (...args: unknown[]) => unknown): boolean {
  return method.constructor.name === 'AsyncFunction';
}
