import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  // Close on SIGTERM and let the process end by itself, after Nest's shutdown hooks.
  process.once('SIGTERM', () => void app.close());
}

void bootstrap();
