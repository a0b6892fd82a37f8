import type { ProtocolEra } from './client-identities.js';

/** A JSON object as a server sent it. */
export type JsonObject = Record<string, unknown>;

/** What a server told mcp-lock, as sent on the wire (unknown fields kept), before it becomes a lock entry. */
export interface ServerSnapshot {
  protocolVersion: string;
  serverInfo: JsonObject;
  capabilities: JsonObject;
  instructions?: string;
  tools: JsonObject[];
  prompts: JsonObject[];
  resources: JsonObject[];
  resourceTemplates: JsonObject[];
  /** `prompts/get` results of the prompts that take no required argument, by prompt name (wire fields left out). */
  promptBodies?: Record<string, JsonObject>;
}

/** Why a server could not be snapshotted: it failed (retry later) or it sent more than mcp-lock reads. */
export type SnapshotFailureKind = 'unreachable' | 'limit-exceeded';

/**
 * `escaped`: how many processes the server started outside its process group outlived it and were killed (null:
 * this system cannot look; left out: not a local process).
 */
export type SnapshotResult =
  | { ok: true; snapshot: ServerSnapshot; era: ProtocolEra; stderr: string; escaped?: number | null }
  | { ok: false; kind: SnapshotFailureKind; reason: string; stderr: string; escaped?: number | null };

/** Caps on what one server may send, so a hostile or broken server ends in a finding, not a hang or an OOM. */
export interface SnapshotLimits {
  maxPages: number;
  maxItems: number;
  maxMessageBytes: number;
  maxTotalBytes: number;
  maxStderrBytes: number;
}

export const DEFAULT_LIMITS: SnapshotLimits = {
  maxPages: 100,
  maxItems: 5_000,
  maxMessageBytes: 8 * 1024 * 1024,
  maxTotalBytes: 32 * 1024 * 1024,
  maxStderrBytes: 16 * 1024,
};
