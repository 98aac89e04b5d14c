import type { IncomingHttpHeaders } from 'node:http';

import { HttpException, HttpStatus, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { validateOriginHeader } from '@modelcontextprotocol/server';

import { SAMPLE_CONFIG_KEY, type SampleConfiguration } from './sample.config.js';

/**
 * DNS-rebinding protection for Streamable HTTP (MCP transports; checklist C13): a request whose `Origin`
 * is not allowed is refused with 403 before authentication, so even a request without a token learns
 * nothing. Requests without `Origin` (non-browser clients) pass. List it before BearerAuthGuard.
 */
@Injectable()
export class OriginGuard implements CanActivate {
  private readonly allowedHostnames: string[];

  constructor(config: ConfigService<SampleConfiguration, true>) {
    this.allowedHostnames = config.get(SAMPLE_CONFIG_KEY, { infer: true }).allowedOriginHostnames;
  }

  canActivate(context: ExecutionContext): boolean {
    const { headers } = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>();
    // Port-agnostic hostname match; an unparsable Origin (including "null") is refused.
    if (validateOriginHeader(headers.origin, this.allowedHostnames).ok) return true;
    throw new HttpException({ jsonrpc: '2.0', error: { code: -32000, message: 'Forbidden: origin not allowed' }, id: null }, HttpStatus.FORBIDDEN);
  }
}
