import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module.js';
import { mcp } from './mcp-http.controller.js';

// As MCP-Nest's README has it: an HTTP application with MCP-Nest's strategy attached.
async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  mcp.setHttpAdapter(app.getHttpAdapter());
  app.connectMicroservice({ strategy: mcp });
  await app.startAllMicroservices();
  await app.listen(process.env.PORT ?? 3000);
}
void bootstrap();
