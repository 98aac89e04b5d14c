/**
 * Freezes a JSON-like value and everything inside it: trusted metadata after validation, and verified
 * results that are shared between requests, so no request can change what another one sees.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const nested of Object.values(value)) deepFreeze(nested);
  }
  return value;
}
