import { Module } from '@nestjs/common';

import { NotesModule } from '../notes/notes.module.js';
import { McpServerV1Factory } from './mcp-server-v1.factory.js';
import { McpServerFactory } from './mcp-server.factory.js';
import { McpController } from './mcp.controller.js';
import { NotesTools } from './notes.tools.js';

@Module({
  imports: [NotesModule],
  controllers: [McpController],
  providers: [NotesTools, McpServerFactory, McpServerV1Factory],
})
export class McpModule {}
