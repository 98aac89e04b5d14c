/**
 * A short, safe reason for a failed request to an authorization server, for logs and error details: the
 * network error code (`ECONNREFUSED`) or the error's class name, never a response body or a token.
 */
export function networkErrorCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (error instanceof Error ? error.name : 'unknown error');
}

/** Whether a fetch failed because its `AbortSignal.timeout()` fired. */
export function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
}
