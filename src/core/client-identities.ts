import type { ClientKind } from './server-spec.js';

/** A protocol era: the 2025-era `initialize` handshake, or the 2026-07-28 `server/discover` era. */
export type ProtocolEra = 'legacy' | 'modern';

export const MODERN_PROTOCOL_VERSION = '2026-07-28';
export const LEGACY_PROTOCOL_VERSION = '2025-11-25';

/** The era a protocol revision belongs to (revisions are dates, so they compare as strings). */
export function eraOf(protocolVersion: string): ProtocolEra {
  return protocolVersion >= MODERN_PROTOCOL_VERSION ? 'modern' : 'legacy';
}

/**
 * How a client introduces itself to a server, and which era it asks for first. A server can answer each client
 * differently, so mcp-lock observes a server as the client whose config loads it.
 */
export interface ObservedIdentity {
  name: string;
  version: string;
  title?: string;
  capabilities: Record<string, unknown>;
  /** `modern`: probes with `server/discover` first and falls back to `initialize`; `legacy`: `initialize` only. */
  era: ProtocolEra;
}

/** The clients whose identity on the wire has been recorded. */
export type RecordedClient = Extract<
  ClientKind,
  'claude-code' | 'claude-desktop' | 'vscode' | 'cursor' | 'windsurf' | 'gemini'
>;

/** The identity a client's config is observed as, where it is recorded. */
export function identityOf(client: ClientKind): ObservedIdentity | undefined {
  return Object.hasOwn(CLIENT_IDENTITIES, client) ? CLIENT_IDENTITIES[client as RecordedClient] : undefined;
}

/**
 * What each client really sends, as recorded from the wire (2026). Sources: a host probe of Claude Code 2.1.268
 * (legacy health check) and 2.1.293 (desktop Code tab: `server/discover`, 2026-07-28) that logged clientInfo and
 * capabilities; VS Code 1.140's `initialize` (trace log: 2025-11-25, roots/sampling/elicitation); Cursor's
 * `initialize` as logged by servers (`cursor-vscode` 1.0.0, roots listChanged false); Gemini CLI's MCP client
 * (`gemini-cli-mcp-client` 0.0.1, roots listChanged); Claude Desktop (`claude-ai`); Windsurf (`windsurf-client`).
 * Versions move; the lock records the identity used, and verify observes with that same one. A client whose wire
 * identity has not been recorded (Zed, Cline, Roo Code, Kiro, Copilot CLI, Visual Studio, Amazon Q, OpenCode) is
 * observed as mcp-lock itself rather than as a guess.
 */
export const CLIENT_IDENTITIES: Record<RecordedClient, ObservedIdentity> = {
  'claude-code': {
    name: 'claude-code',
    version: '2.1.293',
    capabilities: { roots: { listChanged: true }, elicitation: { form: {}, url: {} } },
    era: 'modern',
  },
  'claude-desktop': {
    name: 'claude-ai',
    version: '0.1.0',
    capabilities: { roots: { listChanged: true } },
    era: 'legacy',
  },
  vscode: {
    name: 'Visual Studio Code',
    version: '1.140.0',
    capabilities: { roots: { listChanged: true }, sampling: {}, elicitation: { form: {}, url: {} } },
    era: 'legacy',
  },
  cursor: {
    name: 'cursor-vscode',
    version: '1.0.0',
    capabilities: { roots: { listChanged: false } },
    era: 'legacy',
  },
  windsurf: {
    name: 'windsurf-client',
    version: '1.0.0',
    capabilities: { roots: { listChanged: true } },
    era: 'legacy',
  },
  gemini: {
    name: 'gemini-cli-mcp-client',
    version: '0.0.1',
    capabilities: { roots: { listChanged: true } },
    era: 'legacy',
  },
};

/** The key an identity is recorded under in the lock: its name and version. */
export function identityKey(identity: { name: string; version: string }): string {
  return `${identity.name}@${identity.version}`;
}

/** An identity named on the command line: a known client, or `name@version` declaring no capabilities. */
export function parseIdentity(text: string): ObservedIdentity | undefined {
  if (Object.hasOwn(CLIENT_IDENTITIES, text))
    return CLIENT_IDENTITIES[text as keyof typeof CLIENT_IDENTITIES];
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return undefined;
  return { name: text.slice(0, at), version: text.slice(at + 1), capabilities: {}, era: 'modern' };
}
