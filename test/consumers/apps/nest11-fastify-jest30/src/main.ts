import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  // Close on SIGTERM and let the process end by itself, after Nest's shutdown hooks.
  process.once('SIGTERM', () => void app.close());
}

void bootstrap();
