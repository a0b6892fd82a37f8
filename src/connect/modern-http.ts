import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MODERN_PROTOCOL_VERSION } from '../core/client-identities.js';

/** An HTTP answer that was not a JSON-RPC message: its status says why (401: credentials). */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

/** The JSON-RPC messages of an SSE body: every `data:` of every event. */
function sseMessages(text: string): unknown[] {
  const out: unknown[] = [];
  for (const event of text.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data.trim() !== '') out.push(JSON.parse(data));
  }
  return out;
}

/**
 * Streamable HTTP as the 2026-07-28 revision speaks it: stateless, one POST per request, no session; the body's
 * protocol version and method repeated in the `MCP-Protocol-Version` and `Mcp-Method` headers, which servers check.
 * The answer is JSON or a short SSE stream; every message in it is delivered.
 */
export class ModernHttpTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private closed = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly url: URL,
    private readonly options: { headers: Record<string, string>; fetch: FetchLike },
  ) {}

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    const body = message as unknown as { method?: unknown; params?: { name?: unknown; uri?: unknown } };
    const headers: Record<string, string> = {
      ...this.options.headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN_PROTOCOL_VERSION,
    };
    if (typeof body.method === 'string') headers['mcp-method'] = body.method;
    if (typeof body.params?.name === 'string') headers['mcp-name'] = body.params.name;
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(message),
        signal: this.abort.signal,
      });
      text = await response.text();
    } catch (error) {
      if (!this.closed) this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const type = response.headers.get('content-type') ?? '';
    let messages: unknown[] = [];
    try {
      if (type.includes('text/event-stream')) messages = sseMessages(text);
      else if (text.trim() !== '') messages = [JSON.parse(text)];
    } catch {
      messages = [];
    }
    const rpc = messages.filter((m) => typeof m === 'object' && m !== null && 'jsonrpc' in m);
    if (rpc.length === 0 && !response.ok) {
      this.onerror?.(new HttpStatusError(response.status, `HTTP ${response.status}: ${text.slice(0, 200)}`));
      return;
    }
    for (const m of rpc) this.onmessage?.(m as JSONRPCMessage);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A request still on its way is cut off, so a server that never answers cannot keep mcp-lock running.
    this.abort.abort();
    this.onclose?.();
  }
}
