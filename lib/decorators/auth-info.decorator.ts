import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { currentAuthInfo } from '../context/mcp-auth-context.js';
import { verifiedAuthInfo } from '../context/verified-auth-info.js';
import { MCP_AUTH_INFO_PARAMETERS } from '../mcp-auth.constants.js';
import type { AuthInfo as AuthInfoShape } from '../verification/auth-info.interface.js';

/** The caller's verified identity; see the interface's fields. */
export type AuthInfo = AuthInfoShape;

/** A parameter that receives the caller's AuthInfo (or one field of it). */
export interface AuthInfoParameter {
  index: number;
  field?: keyof AuthInfoShape;
}

const authInfoRouteParameter = createParamDecorator((field: keyof AuthInfoShape | undefined, context: ExecutionContext) => {
  // An HTTP route reads what the guard attached. Other handlers (microservice message handlers, such as
  // MCP-Nest tools) run within the HTTP request that BearerAuthGuard let through: they read its context.
  // Only what the guard verified counts: `req.auth` may also be written by other middleware.
  const auth = context.getType() === 'http' ? verifiedAuthInfo(context.switchToHttp().getRequest<object>()) : currentAuthInfo();
  if (!auth) {
    throw new Error(
      `@AuthInfo() on ${context.getClass().name}.${context.getHandler().name} found no verified token: guard the route with @UseGuards(BearerAuthGuard).`,
    );
  }
  return field ? auth[field] : auth;
});

/**
 * Injects the caller's {@link AuthInfo}, or one field of it (`@AuthInfo('subject')`). Works on controller
 * route parameters (read from what `BearerAuthGuard` attached), on MCP tool provider method parameters and
 * on microservice message handlers such as MCP-Nest tools (filled from `McpAuthContext` when the tool
 * runs). It never verifies anything itself.
 */
export function AuthInfo(field?: keyof AuthInfoShape): ParameterDecorator {
  const routeParameter = authInfoRouteParameter(field);
  return (target, propertyKey, index) => {
    routeParameter(target, propertyKey, index);
    if (propertyKey === undefined) return;
    const method = (target as Record<string | symbol, unknown>)[propertyKey] as object;
    const parameters = (Reflect.getMetadata(MCP_AUTH_INFO_PARAMETERS, method) as AuthInfoParameter[] | undefined) ?? [];
    Reflect.defineMetadata(MCP_AUTH_INFO_PARAMETERS, [...parameters, { index, field }], method);
  };
}
