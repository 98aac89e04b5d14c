import { Catch, HttpException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

/**
 * Express middleware reports failures with `next(error)` and an error that carries `status` and `headers`
 * (express-oauth2-jwt-bearer does). In a plain Express app the default error handler answers with that
 * status; inside Nest the error reaches Nest's exception handler instead, which answers 500. This filter
 * restores the Express behaviour, as an application mounting such middleware in Nest has to; it only runs
 * for failures, never on the measured path.
 */
@Catch()
export class PeerHttpErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const { status, headers, code } = (exception ?? {}) as { status?: unknown; headers?: Record<string, string>; code?: unknown };
    if (exception instanceof HttpException || typeof status !== 'number' || status < 400 || status > 599) {
      super.catch(exception, host);
      return;
    }
    const response = host.switchToHttp().getResponse<Response>();
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.status(status).json({ error: typeof code === 'string' ? code : 'invalid_request' });
  }
}
