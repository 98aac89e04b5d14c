import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthInfo, RequireScopes } from 'nestjs-mcp-auth';

import { AuditedBearerGuard } from './audited-bearer.guard.js';

@Controller('audited')
@UseGuards(AuditedBearerGuard) // a subclass protects routes exactly as BearerAuthGuard does
@RequireScopes('read:notes')
export class AuditedController {
  @Get()
  read(@AuthInfo('principalId') principalId: string): { principalId: string } {
    return { principalId };
  }
}
