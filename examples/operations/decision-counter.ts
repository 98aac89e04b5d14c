import { Injectable } from '@nestjs/common';
import { McpAuthEvents } from 'nestjs-mcp-auth';

// A metrics counter by outcome and reason, e.g. for a /metrics endpoint of your own. With an OpenTelemetry
// SDK registered, the module also counts these itself (nestjs_mcp_auth.decisions).
@Injectable()
export class DecisionCounter {
  private readonly counts = new Map<string, number>();

  constructor(events: McpAuthEvents) {
    events.subscribe(({ outcome, reason }) => {
      const key = reason ? `${outcome}:${reason}` : outcome;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    });
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
