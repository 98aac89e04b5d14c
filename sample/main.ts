import 'reflect-metadata';

import type { RunningSample } from './bootstrap.js';
import { sampleEnvironmentFrom } from './sample.config.js';
import { exitOnShutdownSignals } from './shutdown-signals.js';

// `npm start`: the notes MCP server, configured from the environment (HOST, PORT, AUTH_PORT,
// MCP_AUTH_ISSUER, MCP_RESOURCE, NOTES_RESOURCE, MCP_SDK, MCP_DPOP; see docs/sample.md).

let sample: RunningSample | undefined;
// SIGINT / SIGTERM close the running app, and with it the embedded authorization server. Until it runs,
// nothing holds anything worth closing gracefully: exiting frees the ports.
exitOnShutdownSignals(async () => {
  await sample?.close();
});

try {
  const environment = sampleEnvironmentFrom(process.env);
  console.log('Starting the notes MCP server…');
  // Loaded only now, once the signals are handled: loading Nest is a good part of the start-up.
  const [{ bootstrapSample }, { startupBanner }] = await Promise.all([import('./bootstrap.js'), import('./startup-banner.js')]);
  sample = await bootstrapSample({ ...environment, logger: ['error', 'warn'] });
  console.log(startupBanner(sample));
} catch (error) {
  // Nest has already logged bootstrap failures with their stack; a line saying why is enough here.
  console.error(`The sample could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
