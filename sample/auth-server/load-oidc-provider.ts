export type OidcProviderModule = typeof import('oidc-provider');

// oidc-provider 9 warns "Unsupported runtime" as a side effect of being imported on Node 20,
// although it works there (our engines field allows ^20.19). A static import would print that
// before any of our code runs, so the module is loaded on first use with just that one line
// filtered out; every other warning still reaches the console.
const UNSUPPORTED_RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime';

let loading: Promise<OidcProviderModule> | undefined;

export function loadOidcProvider(): Promise<OidcProviderModule> {
  loading ??= importWithoutRuntimeWarning();
  return loading;
}

async function importWithoutRuntimeWarning(): Promise<OidcProviderModule> {
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && args[0].includes(UNSUPPORTED_RUNTIME_WARNING)) return;
    originalWarn.apply(console, args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = originalWarn;
  }
}
