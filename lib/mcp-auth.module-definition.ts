import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import type { McpAuthModuleOptions } from './options/mcp-auth-options.interface.js';
import { MCP_AUTH_CUSTOM_VERIFIER } from './mcp-auth.constants.js';
import { AccessTokenVerifier } from './verification/access-token-verifier.js';
import { CustomAccessTokenVerifier } from './verification/custom-access-token-verifier.js';

/** Extras accepted by `forRoot` / `forRootAsync` beside the options themselves. */
export interface McpAuthModuleExtras {
  /** Register the module globally, so feature modules can use the guard without importing it. */
  isGlobal?: boolean;
  /**
   * Replace the built-in verifiers with your own `AccessTokenVerifier` subclass (a token service). It may
   * inject `AuthorizationServerRegistry`, `JwtAccessTokenVerifier`, `IntrospectionAccessTokenVerifier` and
   * the module's other providers; the guard, challenges and decorators work unchanged. What it throws is
   * mapped like the errors of `verifyAccessToken`: our failures keep their status, anything else is a 503.
   */
  verifier?: Type<AccessTokenVerifier>;
}

export const {
  ConfigurableModuleClass: ConfigurableMcpAuthModule,
  MODULE_OPTIONS_TOKEN: MCP_AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: MCP_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MCP_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<McpAuthModuleOptions>({ moduleName: 'McpAuth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createMcpAuthOptions')
  .setExtras<McpAuthModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: extras.verifier
      ? [
          ...(definition.providers ?? []),
          { provide: MCP_AUTH_CUSTOM_VERIFIER, useClass: extras.verifier },
          {
            provide: AccessTokenVerifier,
            useFactory: (custom: AccessTokenVerifier) => CustomAccessTokenVerifier.wrapping(custom),
            inject: [MCP_AUTH_CUSTOM_VERIFIER],
          },
        ]
      : definition.providers,
  }))
  .build();

/** What `McpAuthModule.forRootAsync()` accepts: `useFactory` / `useClass` / `useExisting`, `imports`, `inject`. */
export type McpAuthModuleAsyncOptions = typeof MCP_AUTH_ASYNC_OPTIONS_TYPE;
