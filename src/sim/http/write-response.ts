import type { ServerResponse } from 'node:http';
import type { ApiResponse } from './http-types';

/**
 * Puts an ApiResponse on the wire: JSON by default, `rawBody` as is (HTML error pages and other
 * non-JSON answers that injected faults produce), or no answer at all when `dropConnection` is set
 * — the socket is destroyed, so the client sees the connection reset ("other side closed").
 */
export function writeApiResponse(res: ServerResponse, response: ApiResponse): void {
  if (response.dropConnection === true) {
    res.destroy();
    return;
  }
  const payload = response.rawBody ?? JSON.stringify(response.body);
  res.writeHead(response.status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(payload),
    ...response.headers,
  });
  res.end(payload);
}
