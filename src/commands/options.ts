import { CLIENT_IDENTITIES, parseIdentity, type ObservedIdentity } from '../core/client-identities.js';
import type { FailOn } from '../core/policy.js';
import type { Grants } from '../core/permissions.js';
import type { SandboxMode } from '../sandbox/index.js';
import { McpLockError } from '../errors.js';
import { escapeText } from '../report/escape.js';
import type { ObserveSettings } from '../observe/observe.js';
import type { TrustAnchors } from '../signing/lockfile-signature.js';
import type { WorkspaceInput } from '../workspace.js';
import type { CommandIO } from './definition.js';
import type { ParamValues } from './params.js';
import { trustAnchors } from './trust.js';

/** The servers a command works on: the configs in scope and, optionally, only some servers by name. */
export interface ScopeOptions extends WorkspaceInput {
  /** Config files named with --config; none means: discover the project's. */
  configs?: string[];
  /** Also the user-level configs of the clients. */
  user?: boolean;
  /** Only these servers; none means all. */
  servers?: string[];
}

/** What decides the verdict: the threshold, and the day decisions expire against. */
export interface GateOptions {
  failOn: FailOn;
  /** `YYYY-MM-DD`, read from the clock once, at the CLI. */
  today: string;
}

export type ObserveOptions = ScopeOptions &
  ObserveSettings & { probeAs?: ObservedIdentity[]; sandboxMode?: SandboxMode };

/** The scope params as a command's options. */
export function scopeOf(
  params: ParamValues<'config' | 'user' | 'lockfile'>,
  servers: string[],
  io: CommandIO,
): ScopeOptions {
  return {
    cwd: io.cwd,
    env: io.env,
    lockfile: params.lockfile,
    onWait: waitNotice(io),
    configs: params.config,
    user: params.user,
    servers,
  };
}

/** Said on stderr (whatever the format) when a writer waits for another mcp-lock writing the same lockfile. */
export function waitNotice(io: CommandIO): (text: string) => void {
  return (text) => io.stderr.write(`mcp-lock: ${text}\n`);
}

/** Hands the event loop back for a turn: long analysis awaits it between steps, so Ctrl-C is honoured at once. */
export function nextTurn(): Promise<void> {
  return new Promise((resume) => setImmediate(resume));
}

/** `--probe-as` values as identities; an unknown one is a usage error naming it. */
export function probeAsOf(values: readonly string[]): ObservedIdentity[] {
  return values.map((value) => {
    const identity = parseIdentity(value);
    if (!identity) {
      throw new McpLockError('usage', `--probe-as ${value} is not a client`, {
        hint: `use one of ${Object.keys(CLIENT_IDENTITIES).join(', ')}, or name@version`,
      });
    }
    return identity;
  });
}

/** Observation settings from params, with progress lines on a terminal. */
export function observeOf(params: ParamValues<'timeout' | 'concurrency'>, io: CommandIO): ObserveSettings {
  return {
    timeoutMs: params.timeout,
    concurrency: params.concurrency,
    ...(io.progress
      ? {
          onProgress: (server: string, phase: 'start' | 'done', state?: string) =>
            io.stderr.write(`  ${phase === 'start' ? 'checking' : state} ${escapeText(server)}\n`),
        }
      : {}),
  };
}

export type AnchorParams = ParamValues<
  | 'trustedRoot'
  | 'tufMirror'
  | 'tufRoot'
  | 'trustedKey'
  | 'certificateIdentity'
  | 'certificateIdentityRegexp'
  | 'certificateOidcIssuer'
  | 'requireSignature'
>;

export function anchorsOf(params: AnchorParams, io: CommandIO): Promise<TrustAnchors> {
  return trustAnchors(params, io.env);
}

/** `--no-sandbox` and `--require-sandbox` as a mode; both together is a usage error. */
export function sandboxModeOf(params: ParamValues<'sandbox' | 'requireSandbox'>): SandboxMode {
  if (!params.sandbox && params.requireSandbox) {
    throw new McpLockError('usage', '--no-sandbox and --require-sandbox contradict each other', {
      hint: 'give one of them',
    });
  }
  return params.requireSandbox ? 'require' : params.sandbox ? 'auto' : 'off';
}

/**
 * `--allow-network s`, `--allow-read s=path`, `--allow-write s=path` as grants per server. A server named by no
 * grant is absent (its lock entry's permissions stand).
 */
export function grantsOf(
  params: ParamValues<'allowNetwork' | 'allowRead' | 'allowWrite'>,
): Map<string, Grants> {
  const grants = new Map<string, Grants>();
  const of = (server: string) => {
    let g = grants.get(server);
    if (!g) grants.set(server, (g = { network: false, read: [], write: [] }));
    return g;
  };
  for (const server of params.allowNetwork) of(server).network = true;
  for (const [flag, values, kind] of [
    ['--allow-read', params.allowRead, 'read'],
    ['--allow-write', params.allowWrite, 'write'],
  ] as const) {
    for (const value of values) {
      const eq = value.indexOf('=');
      if (eq <= 0 || eq === value.length - 1) {
        throw new McpLockError('usage', `${flag} ${value}: expected <server>=<path>`, {
          hint: `e.g. ${flag} files=./data`,
        });
      }
      of(value.slice(0, eq))[kind].push(value.slice(eq + 1));
    }
  }
  return grants;
}
