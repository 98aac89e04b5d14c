import { isTimeout, networkErrorCode } from '../common/network-error-reason.js';
import { readLimitedBody } from '../common/read-limited-body.js';

/** The result of fetching one candidate metadata URL. */
export type MetadataFetchResult =
  | { kind: 'document'; document: unknown }
  /** The URL answered, but not with metadata (404, non-JSON…): try the next candidate, no point retrying. */
  | { kind: 'absent'; outcome: string }
  /** Network error, timeout or 5xx: worth retrying later. */
  | { kind: 'unreachable'; outcome: string };

/** Metadata documents are small; a bigger answer is not metadata and is not read any further. */
const MAX_DOCUMENT_BYTES = 512 * 1024;

/** GETs one metadata URL, bounded by a timeout, and classifies what came back. Never throws. */
export async function fetchMetadataDocument(url: string, timeoutMs: number): Promise<MetadataFetchResult> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: 'unreachable', outcome: isTimeout(error) ? `no answer within ${timeoutMs} ms` : `request failed (${networkErrorCode(error)})` };
  }
  try {
    if (response.status >= 500) return { kind: 'unreachable', outcome: `HTTP ${response.status}` };
    if (response.status !== 200) return { kind: 'absent', outcome: `HTTP ${response.status}` };
    const text = await readLimitedBody(response, MAX_DOCUMENT_BYTES);
    if (text === undefined) return { kind: 'absent', outcome: `the document is larger than ${MAX_DOCUMENT_BYTES} bytes` };
    try {
      return { kind: 'document', document: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'absent', outcome: 'HTTP 200 but the body is not valid JSON' };
    }
  } catch (error) {
    return { kind: 'unreachable', outcome: isTimeout(error) ? `the body did not arrive within ${timeoutMs} ms` : 'the body could not be read' };
  } finally {
    // Release the connection even when the body was not read to the end.
    await response.body?.cancel().catch(() => undefined);
  }
}
