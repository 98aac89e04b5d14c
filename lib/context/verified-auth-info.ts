import type { AuthInfo } from '../verification/auth-info.interface.js';

// A private slot rather than `req.auth`, which other middleware may also write (Auth0's, Passport's):
// only an AuthInfo that BearerAuthGuard verified ever becomes the current caller. A WeakMap rather than a
// symbol property on the request: on Node 20, every property added to an Express request (whose prototype
// Express has swapped) costs V8 a new hidden class, about 2 µs, where a WeakMap entry costs 0.15 µs (on Node 24
// the property would cost 0.04 µs and the entry 0.13). It also leaves nothing on the request for serializers.
const verified = new WeakMap<object, AuthInfo>();

/** Records the AuthInfo the guard verified for this request. */
export function setVerifiedAuthInfo(request: object, auth: AuthInfo): void {
  verified.set(request, auth);
}

/** The AuthInfo the guard verified for this request, if it did. */
export function verifiedAuthInfo(request: object): AuthInfo | undefined {
  return verified.get(request);
}
