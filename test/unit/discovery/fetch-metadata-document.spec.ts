import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchMetadataDocument } from '../../../lib/discovery/fetch-metadata-document.js';
import { sendJson, startLoopbackServer, type LoopbackServer } from '../../fixtures/loopback-server.js';

// Real HTTP against loopback servers that misbehave on purpose: every outcome discovery can meet.
const servers: LoopbackServer[] = [];
async function serve(handler: Parameters<typeof startLoopbackServer>[0]): Promise<string> {
  const server = await startLoopbackServer(handler);
  servers.push(server);
  return `${server.url}/.well-known/oauth-authorization-server`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('fetchMetadataDocument', () => {
  it('returns the parsed document of a 200 JSON answer', async () => {
    const url = await serve((_request, response) => sendJson(response, 200, { issuer: 'https://as.example' }));
    expect(await fetchMetadataDocument(url, 1_000)).toEqual({ kind: 'document', document: { issuer: 'https://as.example' } });
  });

  it('classifies a 4xx as absent (try the next URL, no retry) and a 5xx as unreachable (retry)', async () => {
    const notFound = await serve((_request, response) => sendJson(response, 404, {}));
    expect(await fetchMetadataDocument(notFound, 1_000)).toEqual({ kind: 'absent', outcome: 'HTTP 404' });
    const unavailable = await serve((_request, response) => sendJson(response, 503, {}));
    expect(await fetchMetadataDocument(unavailable, 1_000)).toEqual({ kind: 'unreachable', outcome: 'HTTP 503' });
  });

  it('reports a body that is not JSON', async () => {
    const url = await serve((_request, response) => response.end('<html>'));
    expect(await fetchMetadataDocument(url, 1_000)).toEqual({ kind: 'absent', outcome: 'HTTP 200 but the body is not valid JSON' });
  });

  it('refuses a document announced as larger than 512 KB without reading it', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024) });
      response.write('{"a":"');
    });
    expect(await fetchMetadataDocument(url, 1_000)).toEqual({ kind: 'absent', outcome: 'the document is larger than 524288 bytes' });
  });

  it('stops reading a streamed document once it passes 512 KB', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"a":"${'x'.repeat(600 * 1024)}"}`);
    });
    expect(await fetchMetadataDocument(url, 1_000)).toEqual({ kind: 'absent', outcome: 'the document is larger than 524288 bytes' });
  });

  it('bounds a server that sends headers and then never the body', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"issuer":');
    });
    expect(await fetchMetadataDocument(url, 200)).toEqual({ kind: 'unreachable', outcome: 'the body did not arrive within 200 ms' });
  });

  it('bounds a server that never answers', async () => {
    const url = await serve(() => undefined);
    expect(await fetchMetadataDocument(url, 150)).toEqual({ kind: 'unreachable', outcome: 'no answer within 150 ms' });
  });

  it('names the network error of a refused connection', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    expect(await fetchMetadataDocument(`http://127.0.0.1:${port}/.well-known/x`, 1_000)).toEqual({
      kind: 'unreachable',
      outcome: 'request failed (ECONNREFUSED)',
    });
  });

  it('does not follow redirects: a metadata document must be served at its own URL', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(302, { location: 'https://elsewhere.example/metadata' });
      response.end();
    });
    const result = await fetchMetadataDocument(url, 1_000);
    expect(result.kind).toBe('unreachable');
    expect(result.kind !== 'document' && result.outcome).toMatch(/^request failed \(/);
  });
});
