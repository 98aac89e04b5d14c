/** Longest a stop may take before the process gives up on it. */
const STOP_DEADLINE_MS = 5_000;

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Makes SIGINT (Ctrl+C) and SIGTERM end the process with exit code 0, at any moment: `stop()` runs, then the
 * process exits. Installed before anything else loads, so a signal during start-up is handled too.
 *
 * Nest's `enableShutdownHooks()` is not used: it only exists once the app does, and it ends the process by
 * re-raising the signal, which is not exit code 0. A second signal while stopping exits at once; a stop
 * that fails or outlasts {@link STOP_DEADLINE_MS} exits with 1 and one line on stderr.
 */
export function exitOnShutdownSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) process.exit(0);
    stopping = true;
    setTimeout(() => {
      console.error(`The sample did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting.`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`The sample did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
}
