import { HttpException, Inject, Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isPromise, type MaybePromise } from '../common/maybe-promise.js';
import { setVerifiedAuthInfo } from '../context/verified-auth-info.js';
import {
  AuthenticationFailure,
  InsufficientRoleFailure,
  InsufficientScopeFailure,
  InvalidRequestFailure,
  MissingCredentialsFailure,
} from '../errors/authentication-failures.js';
import { UnresolvedProtectedResourceError } from '../errors/unresolved-resource.error.js';
import { UseDpopNonceFailure } from '../errors/authentication-failures.js';
import { McpAuthEvents } from '../events/mcp-auth-events.js';
import { acceptsScheme, DpopRequestBinding, refuseBoundTokenAsBearer, type TokenScheme } from '../dpop/dpop-request-binding.js';
import { failureResponse } from '../http/failure-response.js';
import { authorizationHeaderValues, requestPath, setResponseHeader, type HttpRequestLike, type HttpResponseLike } from '../http/request-access.js';
import { MCP_AUTH_LOGGER_CONTEXT, MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../options/resolved-options.js';
import { McpOperationCatalogue } from '../operations/mcp-operation-catalogue.js';
import { headerMismatchResponse } from '../operations/header-mismatch.response.js';
import { requestOperation } from '../operations/request-operation.js';
import { missingScopes, unionScopes } from '../scopes/scope-matching.js';
import { AccessTokenVerifier } from '../verification/access-token-verifier.js';
import type { AuthInfo } from '../verification/auth-info.interface.js';
import { parseAuthorizationHeader } from './authorization-header.js';
import { requestUserFromAuthInfo, type RequestUser } from './request-user.js';
import { resourceForRoute } from './resource-for-route.js';
import { RouteRequirementsCache, type RouteRequirements } from './route-requirements.js';
import { routeResourcesOf, type RouteResources } from './route-resources.js';

/** The access token of a request and the scheme it was presented with. */
export interface AccessTokenCredentials {
  scheme: TokenScheme;
  token: string;
}

/**
 * Lets a request through only with a valid bearer token for the route's protected resource, carrying
 * every scope the route requires. On success `req.auth` holds the caller's {@link AuthInfo} (the MCP SDK
 * reads it there) and `req.user` a {@link RequestUser} (MCP-Nest and other NestJS code read it there);
 * on failure the response carries an exact RFC 6750 / RFC 9728 challenge.
 *
 * On an MCP endpoint it authorizes the JSON-RPC call itself, before any MCP framework sees it (O1): a
 * `tools/call`, `resources/read` or `prompts/get` also needs the scopes that operation declares
 * (`@McpTool()` & co., MCP-Nest's decorators, the resource's `mcp` option), and SEP-2243 headers that
 * disagree with the body are refused with 400 (O2).
 *
 * Every request is authenticated on its own (T15): nothing is remembered per connection or session.
 * Subclass it to change a step; the protected methods are the seams.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  protected readonly logger = new Logger(MCP_AUTH_LOGGER_CONTEXT);

  // A property, not a constructor parameter, so that subclasses written against the three-parameter
  // constructor keep per-operation authorization. Absent only when the guard is built by hand.
  @Optional()
  @Inject(McpOperationCatalogue)
  protected readonly operations?: McpOperationCatalogue;

  // The same for DPoP proofs (RFC 9449). Without it (a guard built by hand) only Bearer is accepted.
  @Optional()
  @Inject(DpopRequestBinding)
  protected readonly dpop?: DpopRequestBinding;

  // Where decisions are published (audit listeners, OpenTelemetry); costs nothing when nobody listens.
  @Optional()
  @Inject(McpAuthEvents)
  protected readonly events?: McpAuthEvents;

  private readonly routes: RouteRequirementsCache;
  private readonly resolvedRoutes: RouteResources;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly verifier: AccessTokenVerifier,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) protected readonly options: ResolvedMcpAuthOptions,
  ) {
    this.routes = new RouteRequirementsCache(reflector);
    this.resolvedRoutes = routeResourcesOf(options);
  }

  /**
   * Synchronous whenever the verifier answers synchronously (a token verified recently), so the request
   * costs Nest no promise for the guard; otherwise a promise of the same answer.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = this.getRequest(context);
    if (this.events?.enabled) this.events.begin(request);
    const resource = this.getResource(context, request);
    let required = this.getRequiredScopes(context);
    const roles = this.getRequiredRoles(context);
    const operation = this.operations ? requestOperation(request, this.operations.forResource(resource)) : undefined;
    if (operation?.kind === 'header-mismatch') {
      if (this.events?.enabled) this.events.refused(request, resource.resource, { status: 400, reason: 'header_mismatch' });
      const response = headerMismatchResponse(operation.id, operation.message);
      throw new HttpException(response.body, response.status);
    }
    // `server/discover` by the resource's own choice (`mcp.publicDiscover`): nothing to authenticate.
    if (operation?.kind === 'public') return true;
    if (operation?.kind === 'requires') {
      // C9: the challenge names everything this call needs, the route's scopes and the operation's. An
      // operation's roles stay with the tool (refused there as a tool error): no token a client could ask for helps.
      required = unionScopes(required, operation.requirements.scopes);
    }
    let credentials: AccessTokenCredentials | undefined;
    let verified: MaybePromise<AuthInfo>;
    try {
      credentials = this.extractCredentials(request, resource);
      verified = this.verifyToken(credentials.token, resource);
    } catch (error) {
      return this.refuse(error, context, resource, required, credentials?.scheme);
    }
    const { scheme } = credentials;
    if (isPromise(verified)) {
      return verified.then(
        (auth) => this.admitBound(context, request, auth, scheme, resource, required, roles),
        (error: unknown) => this.refuse(error, context, resource, required, scheme),
      );
    }
    return this.admitBound(context, request, verified, scheme, resource, required, roles);
  }

  /** Every role the route needs: `@RequireRoles()` on the class ∪ on the handler (C12 when missing). */
  protected getRequiredRoles(context: ExecutionContext): readonly string[] {
    return this.routeRequirements(context).roles;
  }

  /** The HTTP request; override for other transports. */
  protected getRequest(context: ExecutionContext): HttpRequestLike {
    return context.switchToHttp().getRequest<HttpRequestLike>();
  }

  /**
   * The access token from the Authorization header, with the scheme it came in (`Bearer`, or `DPoP` where the
   * resource accepts it); never from the query string or body (T2). A scheme the resource does not accept
   * counts as no credentials, so the answer is the challenge of the schemes it does.
   */
  protected extractCredentials(request: HttpRequestLike, resource: ResolvedProtectedResource): AccessTokenCredentials {
    const credentials = parseAuthorizationHeader(authorizationHeaderValues(request));
    if (credentials.kind === 'absent') throw new MissingCredentialsFailure('No access token in the Authorization header');
    if (credentials.kind === 'malformed') throw new InvalidRequestFailure(credentials.reason);
    const scheme: TokenScheme = credentials.kind === 'dpop' ? 'DPoP' : 'Bearer';
    const mode = this.dpop ? resource.dpop.mode : 'off';
    if (!acceptsScheme(mode, scheme)) throw new MissingCredentialsFailure(`This resource does not accept ${scheme} tokens`);
    return { scheme, token: credentials.token };
  }

  /** Verifies the token for the resource: synchronously when the verifier can (a token verified recently). */
  protected verifyToken(token: string, resource: ResolvedProtectedResource): MaybePromise<AuthInfo> {
    return this.verifier.verifySyncIfPossible(token, resource);
  }

  /** Every scope the route needs: `@RequireScopes()` on the class ∪ on the handler. */
  protected getRequiredScopes(context: ExecutionContext): readonly string[] {
    return this.routeRequirements(context).scopes;
  }

  /**
   * Exposes the caller to the handler and to MCP SDK transports (which read the Node request's `auth`),
   * and as `req.user` to code that reads it there (MCP-Nest's `@ToolScopes()` / `@ToolRoles()`). On
   * Fastify both are set on the Node request (`request.raw`) too, where those libraries look.
   */
  protected attachAuthInfo(request: HttpRequestLike, auth: AuthInfo): void {
    const user = this.requestUser(auth);
    setVerifiedAuthInfo(request, auth);
    request.auth = auth;
    request.user = user;
    if (request.raw) {
      request.raw.auth = auth;
      request.raw.user = user;
    }
  }

  /** The `req.user` of a verified caller. Override to give `req.user` another shape. */
  protected requestUser(auth: AuthInfo): RequestUser {
    return requestUserFromAuthInfo(auth, this.options.scopeHierarchy);
  }

  /** Writes the challenge headers and throws the HTTP error. Override to change the response. */
  protected onAuthenticationFailure(
    failure: AuthenticationFailure,
    context: ExecutionContext,
    resource: ResolvedProtectedResource,
    requiredScopes: readonly string[],
    scheme?: TokenScheme,
  ): never {
    const dpop = this.dpop && resource.dpop.mode !== 'off' ? resource.dpop : undefined;
    const response = failureResponse(failure, {
      resourceMetadataUrl: resource.metadataUrl,
      challengeScopes: requiredScopes.length > 0 ? requiredScopes : resource.scopesSupported,
      showErrorDetails: this.options.showErrorDetails,
      retryAfterSeconds: this.options.retryAfterSeconds,
      scheme,
      dpop: dpop && {
        mode: dpop.mode,
        algorithms: dpop.algorithms,
        nonce: failure instanceof UseDpopNonceFailure ? this.dpop?.nonceFor(resource) : undefined,
      },
    });
    const httpResponse = context.switchToHttp().getResponse<HttpResponseLike>();
    for (const [name, value] of Object.entries(response.headers)) setResponseHeader(httpResponse, name, value);
    if (this.events?.enabled) this.events.refused(this.getRequest(context), resource.resource, failure, scheme);
    // Only our own wording reaches the log: never the token, never a third-party message.
    if (failure.status === 503) this.logger.warn(`Request refused with 503: ${failure.detail}`);
    else this.logger.debug?.(`Request refused with ${failure.status}: ${failure.detail}`);
    throw new HttpException(response.body, response.status);
  }

  /** Lets a verified caller in if it holds every required scope and role, and exposes it to the handler. */
  private admit(
    context: ExecutionContext,
    request: HttpRequestLike,
    auth: AuthInfo,
    resource: ResolvedProtectedResource,
    required: readonly string[],
    roles: readonly string[],
    scheme: TokenScheme,
  ): true {
    const recording = this.events?.enabled === true;
    if (recording) this.events.identify(request, auth);
    // Expiry and signature came first: an expired token is a 401 even if it also lacks scopes.
    if (missingScopes(required, auth.scopes, this.options.scopeHierarchy).length > 0) {
      return this.onAuthenticationFailure(new InsufficientScopeFailure(required), context, resource, required, scheme);
    }
    if (roles.length > 0 && !roles.every((role) => auth.roles.includes(role))) {
      return this.onAuthenticationFailure(new InsufficientRoleFailure(roles), context, resource, required, scheme);
    }
    this.attachAuthInfo(request, auth);
    if (recording) this.events.admitted(request, resource.resource, auth, scheme);
    return true;
  }

  /**
   * Admits a verified caller once its token is shown to be used as it is bound (RFC 9449): a Bearer token
   * must not be DPoP-bound (checked at once), a DPoP one needs a valid proof by its key (a promise).
   */
  private admitBound(
    context: ExecutionContext,
    request: HttpRequestLike,
    auth: AuthInfo,
    scheme: TokenScheme,
    resource: ResolvedProtectedResource,
    required: readonly string[],
    roles: readonly string[],
  ): true | Promise<true> {
    // `extractCredentials` accepts the DPoP scheme only when the binding service is there.
    if (scheme === 'DPoP') {
      return this.dpop!.bindProof(request, auth, resource).then(
        () => this.admit(context, request, auth, resource, required, roles, scheme),
        (error: unknown) => this.refuse(error, context, resource, required, scheme),
      );
    }
    try {
      refuseBoundTokenAsBearer(auth);
    } catch (error) {
      return this.refuse(error, context, resource, required, scheme);
    }
    return this.admit(context, request, auth, resource, required, roles, scheme);
  }

  /** Answers an authentication failure with its challenge; anything else is not ours to answer. */
  private refuse(
    error: unknown,
    context: ExecutionContext,
    resource: ResolvedProtectedResource,
    required: readonly string[],
    scheme?: TokenScheme,
  ): never {
    if (!(error instanceof AuthenticationFailure)) throw error;
    return this.onAuthenticationFailure(error, context, resource, required, scheme);
  }

  private routeRequirements(context: ExecutionContext): RouteRequirements {
    return this.routes.for(context.getClass() as never, context.getHandler() as never);
  }

  /**
   * The resource resolved for the route at bootstrap; failing that (a global guard on a route no resource
   * fits at bootstrap, a handler served under several resources' paths), the one the request path fits.
   */
  private getResource(context: ExecutionContext, request: HttpRequestLike): ResolvedProtectedResource {
    const resolved = this.resolvedRoutes.get(context.getClass(), context.getHandler());
    if (resolved) return resolved;
    const declared = this.routeRequirements(context).declaredResource;
    const path = requestPath(request);
    const resource = resourceForRoute(this.options.resources, declared, path);
    if (!resource) {
      throw new UnresolvedProtectedResourceError(
        [{ route: `${context.getClass().name}.${context.getHandler().name}`, paths: [path], declared }],
        this.options.resources.map((configured) => configured.resource),
      );
    }
    return resource;
  }
}
