import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { LimitError } from './recorder.js';

/**
 * A fetch whose response bodies together may not exceed `maxBytes`: a remote server streaming without end gets
 * cut off and reported, instead of filling memory. Works for JSON responses and SSE streams alike.
 */
export function boundedFetch(maxBytes: number, onLimit: (error: LimitError) => void): FetchLike {
  let received = 0;
  return async (url, init) => {
    const response = await fetch(url, init);
    if (!response.body) return response;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          received += chunk.byteLength;
          if (received > maxBytes) {
            const error = new LimitError(`the server sent more than ${maxBytes} bytes`);
            onLimit(error);
            controller.error(error);
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
