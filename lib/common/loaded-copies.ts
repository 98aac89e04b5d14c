import { Logger } from '@nestjs/common';

import { MCP_AUTH_LOGGER_CONTEXT } from '../mcp-auth.constants.js';

/**
 * Where each copy of this package in the process was loaded from. It lives on `globalThis` under a
 * registered symbol because that is the one place two copies share: each has its own module state.
 */
const LOADED_COPIES = Symbol.for('nestjs-mcp-auth.loaded-copies');

interface LoadedCopies {
  locations: string[];
  warned: boolean;
}

/**
 * Records that a copy of the package was loaded from `location` and warns, once per process, when a
 * second one arrives from somewhere else: its ESM build next to its CommonJS build (an app that both
 * imports and requires it), or two installed versions. Each copy has its own classes and injection tokens,
 * so a guard or verifier from one does not find what the other's `McpAuthModule` provides, and Nest would
 * report that as an unresolved dependency far from the cause. The same location evaluated again (Jest's
 * `resetModules`, hot reload) is the same code and stays silent.
 */
export function registerLoadedCopy(
  location: string,
  warn: (message: string) => void = (message) => Logger.warn(message, MCP_AUTH_LOGGER_CONTEXT),
  host: Record<symbol, unknown> = globalThis,
): void {
  const copies = (host[LOADED_COPIES] ??= { locations: [], warned: false }) as LoadedCopies;
  if (copies.locations.includes(location)) return;
  copies.locations.push(location);
  if (copies.locations.length < 2 || copies.warned) return;
  copies.warned = true;
  warn(
    `nestjs-mcp-auth is loaded twice in this process, from ${copies.locations[0]} and from ${location}. ` +
      'Each copy has its own classes and injection tokens, so one copy does not see what the other provides. ' +
      'Load it one way only (import or require, not both) and install one version (`npm ls nestjs-mcp-auth`).',
  );
}
