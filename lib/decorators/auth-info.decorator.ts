import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
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
  const auth = context.switchToHttp().getRequest<{ auth?: AuthInfoShape }>().auth;
  if (!auth) {
    throw new Error(
      `@AuthInfo() on ${context.getClass().name}.${context.getHandler().name} found no verified token: guard the route with @UseGuards(BearerAuthGuard).`,
    );
  }
  return field ? auth[field] : auth;
});

/**
 * Injects the caller's {@link AuthInfo}, or one field of it (`@AuthInfo('subject')`). Works on controller
 * route parameters (read from what `BearerAuthGuard` attached) and on MCP tool provider method parameters
 * (filled from `McpAuthContext` when the tool runs). It never verifies anything itself.
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
