import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CpuProfiler } from '../profile/cpu-profiler.js';
import type { ServerCommand, ServerConfig, ServerMessage } from '../protocol.js';
import { createBenchAppModule, mountsOurModule } from './bench-app.module.js';
import { PeerHttpErrorFilter } from './peer-http-error.filter.js';

// The server half of a run: a child process (its own event loop and core) that boots the benchmark app on
// loopback, reports its port over IPC, and on command reports its CPU time, profiles itself or shuts down.

async function main(): Promise<void> {
  const mainStartedAtMs = performance.now();
  const config = JSON.parse(process.env.BENCH_SERVER_CONFIG ?? '') as ServerConfig;
  const app = await createApp(config);
  if (config.routes.includes('auth0')) app.useGlobalFilters(new PeerHttpErrorFilter(app.getHttpAdapter()));
  await app.listen(0, '127.0.0.1');
  const listeningAtMs = performance.now();
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const cache = mountsOurModule(config.routes) ? (await import('./guarded-route.js')).verifiedTokenCacheOf(app) : undefined;
  const cacheMaxEntries = cache?.maxEntries;

  let profiler: CpuProfiler | undefined;
  process.on('message', (command: ServerCommand) => {
    void (async () => {
      switch (command.type) {
        case 'profile-start':
          profiler = new CpuProfiler();
          await profiler.start();
          send({ type: 'profile-started' });
          break;
        case 'profile-stop':
          await profiler?.stop(command.file);
          profiler = undefined;
          send({ type: 'profile-stopped' });
          break;
        case 'cpu-usage': {
          const { user, system } = process.cpuUsage();
          send({ type: 'cpu-usage', micros: user + system, verifiedTokenCacheEntries: cache?.size() });
          break;
        }
        case 'shutdown':
          await app.close();
          process.exit(0);
      }
    })().catch(fail);
  });
  // Never outlive the run that started us.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port, mainStartedAtMs, listeningAtMs, cacheMaxEntries });
}

/** The app on the platform asked for; Fastify's adapter is loaded only when it is (its load time is not Express's). */
async function createApp(config: ServerConfig): Promise<INestApplication> {
  const module = await createBenchAppModule(config);
  const options = { logger: ['error', 'warn'] } satisfies NestApplicationOptions;
  if (config.adapter !== 'fastify') return NestFactory.create(module, options);
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  return NestFactory.create(module, new FastifyAdapter(), options);
}

function send(message: ServerMessage): void {
  process.send?.(message);
}

function fail(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  send({ type: 'error', message });
  console.error(message);
  process.exit(1);
}

main().catch(fail);
