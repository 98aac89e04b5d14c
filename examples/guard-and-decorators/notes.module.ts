import { Module } from '@nestjs/common';

import { NotesController } from './notes.controller.js';
import { NotesService } from './notes.service.js';

// A feature module: it does not import McpAuthModule, which the application registers with `isGlobal: true`.
@Module({
  controllers: [NotesController],
  providers: [NotesService],
})
export class NotesModule {}
