import type { AuthInfo } from '../verification/auth-info.interface.js';

// A private slot rather than `req.auth`, which other middleware may also write (Auth0's, Passport's):
// only an AuthInfo that BearerAuthGuard verified ever becomes the current caller.
const VERIFIED_AUTH_INFO = Symbol('nestjs-mcp-auth:verified-auth-info');

/** Records the AuthInfo the guard verified for this request. */
export function setVerifiedAuthInfo(request: object, auth: AuthInfo): void {
  (request as { [VERIFIED_AUTH_INFO]?: AuthInfo })[VERIFIED_AUTH_INFO] = auth;
}

/** The AuthInfo the guard verified for this request, if it did. */
export function verifiedAuthInfo(request: object): AuthInfo | undefined {
  return (request as { [VERIFIED_AUTH_INFO]?: AuthInfo })[VERIFIED_AUTH_INFO];
}
