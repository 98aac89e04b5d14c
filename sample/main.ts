import 'reflect-metadata';

import { bootstrapSample } from './bootstrap.js';
import { sampleEnvironmentFrom } from './sample.config.js';
import { startupBanner } from './startup-banner.js';

// `npm start`: the notes MCP server, configured from the environment (HOST, PORT, AUTH_PORT,
// MCP_AUTH_ISSUER, MCP_RESOURCE, NOTES_RESOURCE; see the README, "The sample").
async function main(): Promise<void> {
  const sample = await bootstrapSample({ ...sampleEnvironmentFrom(process.env), logger: ['error', 'warn'] });
  // SIGINT / SIGTERM close the app, and with it the embedded authorization server.
  sample.app.enableShutdownHooks();
  console.log(startupBanner(sample));
}

main().catch((error: unknown) => {
  // Nest has already logged bootstrap failures with their stack; a line saying why is enough here.
  console.error(`The sample could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
