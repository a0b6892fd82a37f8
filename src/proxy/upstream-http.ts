import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { boundedFetch } from '../connect/http.js';
import { ModernHttpTransport } from '../connect/modern-http.js';

/**
 * The remote server behind `mcp-lock run`, over the transport the client's first message asks for: a 2026-07-28
 * client (`server/discover`, or any request with the era's envelope) gets stateless streamable HTTP; a legacy one
 * (`initialize`) gets the SDK's streamable HTTP (sessions and all), or SSE for an SSE server.
 */
export class UpstreamHttpTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private inner: Transport | undefined;
  private opening: Promise<Transport> | undefined;
  private initializeId: unknown;

  constructor(
    private readonly options: {
      url: URL;
      headers: Record<string, string>;
      sse: boolean;
      maxBytes: number;
      onLimit: (error: Error) => void;
    },
  ) {}

  async start(): Promise<void> {}

  private open(first: JSONRPCMessage): Promise<Transport> {
    this.opening ??= (async () => {
      const m = first as { method?: unknown; id?: unknown; params?: { _meta?: Record<string, unknown> } };
      const modern =
        m.method === 'server/discover' ||
        typeof m.params?._meta?.['io.modelcontextprotocol/protocolVersion'] === 'string';
      const fetch = boundedFetch(this.options.maxBytes, this.options.onLimit);
      const init = { requestInit: { headers: this.options.headers }, fetch };
      const inner: Transport = modern
        ? new ModernHttpTransport(this.options.url, { headers: this.options.headers, fetch })
        : this.options.sse
          ? new SSEClientTransport(this.options.url, init)
          : new StreamableHTTPClientTransport(this.options.url, init);
      inner.onmessage = (message) => {
        // The SDK's streamable HTTP sends the negotiated version on every later request, as the spec asks.
        const response = message as { id?: unknown; result?: { protocolVersion?: unknown } };
        if (response.id === this.initializeId && typeof response.result?.protocolVersion === 'string') {
          inner.setProtocolVersion?.(response.result.protocolVersion);
        }
        this.onmessage?.(message);
      };
      inner.onerror = (error) => this.onerror?.(error);
      inner.onclose = () => this.onclose?.();
      await inner.start();
      this.inner = inner;
      return inner;
    })();
    return this.opening;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const m = message as { method?: unknown; id?: unknown };
    if (m.method === 'initialize') this.initializeId = m.id;
    const inner = this.inner ?? (await this.open(message));
    await inner.send(message);
  }

  async close(): Promise<void> {
    if (this.inner) await this.inner.close();
    else this.onclose?.();
  }
}
