// What the global setup (global-setup.ts) hands to the test workers, read there with `inject()` from vitest.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis this run started for itself, e.g. `redis://127.0.0.1:41234`. */
    redisUrl: string;
    /** The Chromium the browser suites drive: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
    chromiumPath: string;
  }
}

export {};
