import { NestFactory } from '@nestjs/core';

import { bootstrapSample } from '../../sample/bootstrap.js';
import { startupBanner } from '../../sample/startup-banner.js';
import { startLoopbackServer } from '../fixtures/loopback-server.js';

// What the programs print, for the `<!-- output: test/docs/outputs.ts#… -->` blocks of the README and docs/:
// each function runs the real code and returns its text, with what differs from run to run (ports, secrets,
// loopback origins) spelled as the documentation shows it.

/** What `NestFactory` rejects with for examples/errors/misconfigured.module.ts. */
export async function invalidOptionsError(): Promise<string> {
  const { MisconfiguredModule } = await import('../../examples/errors/misconfigured.module.js');
  return String(await bootstrapFailure(MisconfiguredModule));
}

/**
 * What examples/discovery/unreachable.module.ts fails with when its issuer answers 404 for RFC 8414 metadata and
 * nothing at all for the OpenID configuration. A loopback server plays that issuer (a real authorization server
 * does not hang on demand); its origin is shown as https://login.example.com.
 */
export async function discoveryError(): Promise<string> {
  const issuer = await startLoopbackServer((request, response) => {
    if (request.url?.startsWith('/.well-known/openid-configuration')) return; // never answers
    response.writeHead(404).end();
  });
  process.env.MCP_AUTH_ISSUER = issuer.url;
  try {
    const { AppModule } = await import('../../examples/discovery/unreachable.module.js');
    return String(await bootstrapFailure(AppModule)).replaceAll(issuer.url, 'https://login.example.com');
  } finally {
    delete process.env.MCP_AUTH_ISSUER;
    await issuer.close();
  }
}

/** The banner of a started sample (`npm start`), on its default ports, with the dev client's secret left out. */
export async function sampleBanner(): Promise<string> {
  const sample = await bootstrapSample({ port: 0, authPort: 0, logger: false });
  try {
    const banner = startupBanner(sample);
    const { clientSecret } = sample.devClient!;
    return banner
      .replaceAll(clientSecret, '<random secret>')
      .replaceAll(new URL(sample.url).host, '127.0.0.1:3000')
      .replaceAll(new URL(sample.issuer).host, '127.0.0.1:3001');
  } finally {
    await sample.close();
  }
}

async function bootstrapFailure(module: new () => unknown): Promise<unknown> {
  try {
    const context = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
    await context.close();
  } catch (error) {
    return error;
  }
  throw new Error(`${module.name} started, but the documentation shows it failing`);
}
