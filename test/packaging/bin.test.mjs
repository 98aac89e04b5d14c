// `npx nestjs-mcp-auth doctor` from the published tarball: packed as `npm publish` would, installed into an
// empty project the way users install it (with the peers a Nest app already has), run through npx.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const root = join(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let project;

before(() => {
  project = mkdtempSync(join(tmpdir(), 'nestjs-mcp-auth-bin-'));
  // --ignore-scripts: `npm run test:package` has just built dist/.
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], { cwd: root, encoding: 'utf8' }));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  execFileSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${filename}`, '@nestjs/common', 'reflect-metadata', 'rxjs'],
    { cwd: project, stdio: 'ignore' },
  );
});

after(() => rmSync(project, { recursive: true, force: true }));

function npx(...args) {
  const { status, stdout, stderr } = spawnSync('npx', ['--no-install', 'nestjs-mcp-auth', ...args], { cwd: project, encoding: 'utf8' });
  return { status, stdout, stderr };
}

/** A loopback port nothing listens on. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('package.json names the bin, and the tarball ships it with its shebang', () => {
  assert.deepEqual(manifest.bin, { 'nestjs-mcp-auth': './dist/bin/nestjs-mcp-auth.js' });
  const installed = readFileSync(join(project, 'node_modules/nestjs-mcp-auth/dist/bin/nestjs-mcp-auth.js'), 'utf8');
  assert.match(installed, /^#!\/usr\/bin\/env node\n/);
});

test('npx nestjs-mcp-auth doctor --help prints the usage and exits 0', () => {
  const { status, stdout } = npx('doctor', '--help');
  assert.equal(status, 0);
  assert.match(stdout, /^Usage: nestjs-mcp-auth doctor --issuer <url> --resource <url>/);
});

test('bad arguments: one line, the usage, exit 2', () => {
  const { status, stderr } = npx('doctor', '--resource', 'https://mcp.example.com/mcp');
  assert.equal(status, 2);
  assert.match(stderr, /^nestjs-mcp-auth doctor: --issuer is required\n\nUsage: /);
});

test('an unreachable issuer: one ✘ line, exit 1, no stack trace', async () => {
  const { status, stdout, stderr } = npx('doctor', '--issuer', `http://127.0.0.1:${await closedPort()}`, '--resource', 'http://127.0.0.1:3000/mcp', '--timeout', '500');
  assert.equal(status, 1);
  assert.equal(stdout.split('\n').filter((line) => line.startsWith('✘')).length, 1);
  assert.doesNotMatch(stdout + stderr, /\n\s+at /);
});
