import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
  /** 1-minute load average: how busy the machine was with other work. */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    os: `${type()} ${release()}`,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    loadAverage: loadavg()[0] ?? 0,
  };
}

/** The packages whose versions a reader needs to interpret the numbers. */
const MEASURED_PACKAGES = [
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  'fastify',
  'express',
  'jose',
  'mcp-auth',
  'express-oauth2-jwt-bearer',
  'express-oauth2-jwt-bearer/node_modules/jose',
  '@modelcontextprotocol/express',
  '@modelcontextprotocol/server',
  'autocannon',
];

/** Installed versions, read from node_modules (a missing nested copy is simply left out). */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of MEASURED_PACKAGES) {
    try {
      const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      versions[name.replace('/node_modules/', ' → ')] = manifest.version;
    } catch {
      // not installed at that path
    }
  }
  return versions;
}
