import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { McpAuthHealthIndicator } from 'nestjs-mcp-auth';

// GET /health: 200 while every trusted authorization server is discovered and its keys fetch, 503 (with the
// reason per server) when one is not. No request to the authorization server per health check.
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mcpAuth: McpAuthHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.mcpAuth.isHealthy('mcp-auth')]);
  }
}
