import { fileURLToPath } from 'node:url';

// This file compiles to dist-bench/bench/paths.js; everything is located relative to it, so a run works
// from any working directory.
const here = new URL('./', import.meta.url);

/** The package root (where package.json lives). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', here));

/** Where a run writes its report: the source tree's bench/results, not the build output. */
export const RESULTS_DIR = fileURLToPath(new URL('../../bench/results/', here));

/**
 * What earlier rounds tried and measured but dropped: kept by hand in the source tree and appended to every
 * regenerated profile.md, so that the next round does not repeat it.
 */
export const TRIED_AND_DROPPED_FILE = fileURLToPath(new URL('../../bench/profile/tried-and-dropped.md', here));

/** Compiled entry points of the child processes. */
export const CHILD_SCRIPTS = {
  server: fileURLToPath(new URL('./server/main.js', here)),
  microBenchmark: fileURLToPath(new URL('./verifier/micro-benchmark.js', here)),
  memory: fileURLToPath(new URL('./verifier/memory.js', here)),
} as const;
