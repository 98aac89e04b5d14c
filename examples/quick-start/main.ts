import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module.js';

// main.ts as Nest generates it: nothing to add.
async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT ?? 3000);
}
void bootstrap();
