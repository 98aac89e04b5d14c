/** A value now, or a promise of it: what a step returns when it only sometimes has to wait for I/O. */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/**
 * Applies `next` to a value that may still be pending: synchronously when it is already there, so a chain of
 * steps that needed no I/O costs no promise (each one is a microtask and, once AsyncLocalStorage is active,
 * an async hook call).
 */
export function thenMaybe<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(value) ? value.then(next) : next(value);
}
