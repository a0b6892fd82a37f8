import type { Finding } from '../core/findings.js';
import type { LockSource } from '../core/lockfile/schema.js';
import type { FailOn } from '../core/policy.js';

/** What became of one server in this run. */
export type ServerState =
  | 'unchanged'
  | 'changed'
  | 'pinned'
  | 'updated'
  | 'unreachable'
  | 'limit-exceeded'
  | 'not-locked'
  | 'removed'
  | 'locked';

export interface ServerReport {
  name: string;
  state: ServerState;
  source: LockSource;
  counts?: { tools: number; prompts: number; resources: number; resourceTemplates: number };
  /** Why a server could not be checked; secret values already redacted. */
  reason?: string;
  /** The tail of the server's stderr, secret values already redacted. */
  stderr?: string;
}

export type CommandName = 'install' | 'update' | 'verify' | 'diff' | 'ls';

/** The result of a run, rendered by report/human.ts or report/json.ts. */
export interface Report {
  command: CommandName;
  ok: boolean;
  exitCode: number;
  failOn: FailOn;
  lockfile: string;
  /** Whether this run wrote the lockfile. */
  lockfileWritten: boolean;
  servers: ServerReport[];
  findings: Finding[];
  notes: string[];
}
