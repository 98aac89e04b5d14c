import { Injectable, Logger } from '@nestjs/common';
import { McpAuthEvents, type AuthDecision } from 'nestjs-mcp-auth';

// One line per decision: who called which tool, and how it ended. Never a token: decisions carry none.
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');

  constructor(events: McpAuthEvents) {
    events.subscribe((decision) => this.logger.log(auditLine(decision)));
  }
}

export function auditLine(decision: AuthDecision): string {
  const who = decision.clientId ? `${decision.clientId}${decision.subject ? ` (${decision.subject})` : ''}` : 'anonymous';
  const what = decision.operation?.name ?? decision.operation?.method ?? decision.toolMethod ?? '-';
  return `${decision.outcome} ${decision.reason ?? ''} ${decision.status} ${who} ${what} on ${decision.resource}`.replace(/ {2,}/g, ' ');
}
