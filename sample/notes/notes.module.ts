import { Module } from '@nestjs/common';

import { NotesController } from './notes.controller.js';
import { NotesStore } from './notes.store.js';

@Module({
  controllers: [NotesController],
  providers: [NotesStore],
  exports: [NotesStore],
})
export class NotesModule {}
