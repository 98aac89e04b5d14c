import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import type { McpAuthModuleOptions } from './options/mcp-auth-options.interface.js';
import { AccessTokenVerifier } from './verification/access-token-verifier.js';

/** Extras accepted by `forRoot` / `forRootAsync` beside the options themselves. */
export interface McpAuthModuleExtras {
  /** Register the module globally, so feature modules can use the guard without importing it. */
  isGlobal?: boolean;
  /**
   * Replace the JWT verifier with your own `AccessTokenVerifier` subclass (opaque tokens, a token service).
   * It may inject `AuthorizationServerRegistry` and the module's providers; the guard, challenges and
   * decorators work unchanged.
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
      ? [...(definition.providers ?? []), { provide: AccessTokenVerifier, useClass: extras.verifier }]
      : definition.providers,
  }))
  .build();

/** What `McpAuthModule.forRootAsync()` accepts: `useFactory` / `useClass` / `useExisting`, `imports`, `inject`. */
export type McpAuthModuleAsyncOptions = typeof MCP_AUTH_ASYNC_OPTIONS_TYPE;
