import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthInfo, BearerAuthGuard, RequireRoles } from 'nestjs-mcp-auth';

@Controller('mcp/whoami')
@UseGuards(BearerAuthGuard)
export class WhoamiController {
  @Get()
  whoami(@AuthInfo() caller: AuthInfo): Pick<AuthInfo, 'tenant' | 'clientId' | 'roles' | 'scopes'> {
    return { tenant: caller.tenant, clientId: caller.clientId, roles: caller.roles, scopes: caller.scopes };
  }

  @Get('audit')
  @RequireRoles('notes-auditor') // missing → 403 access_denied, without a scope challenge
  audit(@AuthInfo('tenant') tenant: string | undefined): { audited: string | undefined } {
    return { audited: tenant };
  }
}
