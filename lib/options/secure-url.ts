const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a host name is a loopback address, where plain http is fine for development. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Whether a URL may be used for an issuer or endpoint: https always; http only on loopback, or anywhere
 * when the application explicitly allows insecure http (MCP "Communication Security", RFC 8414 §2).
 */
export function isSecureUrl(value: string, allowInsecureHttp: boolean): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (allowInsecureHttp || isLoopbackHost(url.hostname));
}
