import { POLICY_CLIENTS, type PolicyClient } from '../core/client-policy.js';
import { isSeverity } from '../core/findings.js';
import type { FailOn } from '../core/policy.js';
import { McpLockError } from '../errors.js';

/** Why a flag's value was refused; the CLI shows it as a usage error naming the flag. */
export class ParamError extends Error {}

/**
 * One command-line option, declared once and shared by every command that takes it (the way npm's commands name
 * their `params`). `flags` is commander's syntax; the value reaches a command under the param's key.
 */
export interface ParamDefinition<T> {
  flags: string;
  description: string;
  default?: T;
  choices?: readonly string[];
  /** Converts the text given on the command line; `previous` is the value so far (for repeatable flags). */
  parse?: (value: string, previous: T) => T;
  required?: boolean;
  hidden?: boolean;
}

function param<T>(definition: ParamDefinition<T>): ParamDefinition<T> {
  return definition;
}

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new ParamError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function failOn(value: string): FailOn {
  if (value === 'none' || isSeverity(value)) return value;
  throw new ParamError('expected info, low, medium, high, critical or none');
}

const repeat = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** 24 days: the longest a Node timer can wait (2^31 - 1 ms). */
const MAX_TIMEOUT_MS = 2_147_483_647;

export const FORMATS = ['human', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export const PARAMS = {
  config: param<string[]>({
    flags: '-c, --config <file>',
    description: 'an MCP config file (repeatable; default: discover the project configs)',
    parse: repeat,
    default: [],
  }),
  user: param<boolean>({
    flags: '--user',
    description:
      'also read the user-level configs of every client mcp-lock knows (Claude Code and its plugins, Claude Desktop, Cursor, VS Code, Windsurf, Gemini CLI, Zed, Cline, Roo Code, Kiro, Copilot CLI, Amazon Q, OpenCode, Continue, Goose, Codex)',
    default: false,
  }),
  lockfile: param<string>({
    flags: '-l, --lockfile <file>',
    description: 'the lockfile',
    default: 'mcp-lock.json',
  }),
  format: param<Format>({
    flags: '--format <format>',
    description: 'report format',
    choices: FORMATS,
    default: 'human',
  }),
  output: param<string | undefined>({
    flags: '-o, --output <file>',
    description: 'write the report (in --format) to a file',
  }),
  timeout: param<number>({
    flags: '--timeout <ms>',
    description: 'time allowed per server, start to last list',
    parse: integer(1, MAX_TIMEOUT_MS),
    default: 60_000,
  }),
  concurrency: param<number>({
    flags: '--concurrency <n>',
    description: 'servers checked at once',
    parse: integer(1, 256),
    default: 4,
  }),
  failOn: param<FailOn>({
    flags: '--fail-on <severity>',
    description: 'lowest severity that fails the run (info|low|medium|high|critical|none)',
    parse: failOn,
    default: 'low',
  }),
  materialise: param<boolean>({
    flags: '--materialise',
    description:
      "install each npm server's locked dependency tree (npm ci --ignore-scripts) in the cache and launch it from there",
    default: false,
  }),
  sandbox: param<boolean>({
    flags: '--no-sandbox',
    description: 'launch stdio servers without a sandbox (the report says so)',
    default: true,
  }),
  requireSandbox: param<boolean>({
    flags: '--require-sandbox',
    description: 'exit 2 where no sandbox is available instead of launching servers unsandboxed',
    default: false,
  }),
  runSandbox: param<boolean>({
    flags: '--sandbox',
    description:
      "launch the server in the sandbox with the lock's permissions (exit 2 where no sandbox is available)",
    default: false,
  }),
  allowNetwork: param<string[]>({
    flags: '--allow-network <server>',
    description: 'record that this server may reach the network from its sandbox (repeatable)',
    parse: repeat,
    default: [],
  }),
  allowRead: param<string[]>({
    flags: '--allow-read <server=path>',
    description: 'record that this server may read a path mcp-lock hides (credentials, .git) (repeatable)',
    parse: repeat,
    default: [],
  }),
  allowWrite: param<string[]>({
    flags: '--allow-write <server=path>',
    description: 'record that this server may write to a path (repeatable; all else is read-only)',
    parse: repeat,
    default: [],
  }),
  probeAs: param<string[]>({
    flags: '--probe-as <client>',
    description:
      'also observe new servers as this client (repeatable): claude-code, vscode, cursor, gemini, windsurf, claude-desktop, or name@version',
    parse: repeat,
    default: [],
  }),
  forClient: param<PolicyClient>({
    flags: '--for <client>',
    description: 'the client whose allow-list to write',
    choices: POLICY_CLIENTS,
    required: true,
  }),
  policyOutput: param<string | undefined>({
    flags: '-o, --output <file>',
    description: 'write the policy to this file (atomically) instead of standard output',
  }),
  policyFor: param<PolicyClient[]>({
    flags: '--policy-for <client>',
    description: `report configured servers that this client's allow-list, written from the lockfile, would refuse (repeatable): ${POLICY_CLIENTS.join(', ')}`,
    parse: (value, previous) => {
      if (!(POLICY_CLIENTS as readonly string[]).includes(value))
        throw new ParamError(`expected one of ${POLICY_CLIENTS.join(', ')}`);
      return [...(previous ?? []), value as PolicyClient];
    },
    default: [],
  }),
  auditLog: param<string | undefined>({
    flags: '--log <file>',
    description: 'append one JSON line for the run and one per finding (an audit trail)',
  }),
  signatureOnly: param<boolean>({
    flags: '--signature-only',
    description: 'check only the lockfile signature: launch nothing',
    default: false,
  }),
  offline: param<boolean>({
    flags: '--offline',
    description: 'launch no server: check the lockfile, the configs and the package registries',
    default: false,
  }),
  // Trust anchors for verify and run, with cosign's names.
  trustedRoot: param<string | undefined>({
    flags: '--trusted-root <file>',
    description:
      'the Sigstore trusted root to verify against (default: TUF, then its cache, then the seeded root)',
  }),
  tufMirror: param<string | undefined>({
    flags: '--tuf-mirror <url>',
    description: 'the TUF repository of a private Sigstore deployment',
  }),
  tufRoot: param<string | undefined>({
    flags: '--tuf-root <file>',
    description: 'the initial TUF root.json of that repository',
  }),
  trustedKey: param<string[]>({
    flags: '--key <file>',
    description: 'a trusted public key (repeatable; or MCP_LOCK_TRUSTED_KEYS, a list of files)',
    parse: repeat,
    default: [],
  }),
  certificateIdentity: param<string | undefined>({
    flags: '--certificate-identity <identity>',
    description: 'the exact signer identity (certificate SAN) a keyless signature must have',
  }),
  certificateIdentityRegexp: param<string | undefined>({
    flags: '--certificate-identity-regexp <regexp>',
    description: 'a regexp the whole signer identity must match (anchored)',
  }),
  certificateOidcIssuer: param<string | undefined>({
    flags: '--certificate-oidc-issuer <issuer>',
    description: 'the exact OIDC issuer a keyless signature must have',
  }),
  requireSignature: param<boolean>({
    flags: '--require-signature',
    description: 'a lockfile without a valid signature fails',
    default: false,
  }),
  // Signing the lockfile when a command writes it.
  signKey: param<string | undefined>({
    flags: '--sign-key <file>',
    description: 'sign with this private key (or MCP_LOCK_SIGNING_KEY)',
  }),
  signKeyless: param<boolean | undefined>({
    flags: '--sign-keyless',
    description:
      'sign keyless with an OIDC token: GitHub Actions id-token, or SIGSTORE_ID_TOKEN (or MCP_LOCK_SIGN_KEYLESS=1)',
  }),
  signingKey: param<string | undefined>({ flags: '--key <file>', description: 'sign with this private key' }),
  keyless: param<boolean | undefined>({
    flags: '--keyless',
    description: 'sign keyless with an OIDC token: GitHub Actions id-token, or SIGSTORE_ID_TOKEN',
  }),
  fulcioUrl: param<string | undefined>({
    flags: '--fulcio-url <url>',
    description: 'Fulcio of a private Sigstore deployment (or SIGSTORE_FULCIO_URL)',
  }),
  rekorUrl: param<string | undefined>({
    flags: '--rekor-url <url>',
    description: 'Rekor of a private Sigstore deployment (or SIGSTORE_REKOR_URL)',
  }),
  tsaUrl: param<string | undefined>({
    flags: '--tsa-url <url>',
    description: 'a timestamp authority to countersign (or SIGSTORE_TSA_URL)',
  }),
  // keygen
  privateKey: param<string | undefined>({
    flags: '--private-key <file>',
    description: 'where the private key goes (default: ~/.config/mcp-lock/mcp-lock.key, mode 0600)',
  }),
  publicKey: param<string>({
    flags: '--public-key <file>',
    description: 'where the public key goes',
    default: 'mcp-lock.pub',
  }),
  // Decisions (accept, allow-sampling)
  code: param<string>({ flags: '--code <code>', description: 'the finding code to accept', required: true }),
  reason: param<string>({
    flags: '--reason <text>',
    description: 'why (kept in the lockfile, where a signature covers it)',
    required: true,
  }),
  expires: param<string | undefined>({
    flags: '--expires <date>',
    description: 'last day the decision applies (YYYY-MM-DD)',
  }),
  maxTokens: param<number>({
    flags: '--max-tokens <n>',
    description: 'largest maxTokens one request may ask for',
    parse: integer(1, 100_000_000),
    required: true,
  }),
  perMinute: param<number>({
    flags: '--per-minute <n>',
    description: 'requests allowed per minute',
    parse: integer(1, 100_000),
    required: true,
  }),
  model: param<string[]>({
    flags: '--model <pattern>',
    description: 'a model the client may answer with (repeatable; * is a wildcard)',
    parse: repeat,
    default: [],
  }),
  timeoutSeconds: param<number | undefined>({
    flags: '--timeout-seconds <n>',
    description: 'how long the client gets to answer',
    parse: integer(1, 86_400),
  }),
  sessionTokens: param<number | undefined>({
    flags: '--session-tokens <n>',
    description: 'total maxTokens of all requests in one session',
    parse: integer(1, 1_000_000_000),
  }),
  // run
  onDrift: param<'withhold' | 'warn'>({
    flags: '--on-drift <action>',
    description: 'what a drifted or new tool, prompt or template gets',
    choices: ['withhold', 'warn'],
    default: 'withhold',
  }),
  sessionLog: param<string | undefined>({
    flags: '--log <file>',
    description: 'append one JSON line per request, notification and re-check',
  }),
  syslog: param<string | undefined>({
    flags: '--syslog <address>',
    description: 'also send each line to syslog (RFC 5424): udp://host:port or tcp://host:port',
  }),
  logBodies: param<boolean>({
    flags: '--log-bodies',
    description: 'log arguments and results too (values under secret-looking keys redacted)',
    default: false,
  }),
  recheckTimeout: param<number>({
    flags: '--timeout <ms>',
    description: "time allowed for mcp-lock's own re-check of the tool list",
    parse: integer(1, MAX_TIMEOUT_MS),
    default: 30_000,
  }),
  originalArgs: param<boolean>({
    flags: '--no-original-args',
    description: 'set by wrap: the entry had no args',
    hidden: true,
    default: true,
  }),
  restore: param<string | undefined>({
    flags: '--restore <text>',
    description: 'set by wrap: the remote entry it replaced, for unwrap',
    hidden: true,
  }),
  // wrap
  launcher: param<string | undefined>({
    flags: '--launcher <command>',
    description:
      'what clients start in place of each server (default: npx --no-install mcp-lock when it is a dev dependency, else mcp-lock)',
  }),
} as const;

export type ParamName = keyof typeof PARAMS;
export type ParamValue<K extends ParamName> = (typeof PARAMS)[K] extends ParamDefinition<infer T> ? T : never;
export type ParamValues<K extends ParamName> = { [P in K]: ParamValue<P> };

/** The groups of params several commands take together. */
export const SCOPE_PARAMS = ['config', 'user', 'lockfile'] as const;
export const REPORT_PARAMS = ['format', 'output'] as const;
export const OBSERVE_PARAMS = ['timeout', 'concurrency'] as const;
export const SANDBOX_PARAMS = ['sandbox', 'requireSandbox'] as const;
export const GRANT_PARAMS = ['allowNetwork', 'allowRead', 'allowWrite'] as const;
export const TRUSTED_ROOT_PARAMS = ['trustedRoot', 'tufMirror', 'tufRoot'] as const;
export const ANCHOR_PARAMS = [
  ...TRUSTED_ROOT_PARAMS,
  'trustedKey',
  'certificateIdentity',
  'certificateIdentityRegexp',
  'certificateOidcIssuer',
  'requireSignature',
] as const;
export const ENDPOINT_PARAMS = ['fulcioUrl', 'rekorUrl', 'tsaUrl'] as const;
export const SIGNING_PARAMS = ['signKey', 'signKeyless', ...ENDPOINT_PARAMS] as const;

/** A date flag, checked before anything is written. */
export function checkDate(flag: string, value: string | undefined): void {
  if (value !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) {
    throw new McpLockError('usage', `${flag} ${value} is not a date`, { hint: 'write it as YYYY-MM-DD' });
  }
}
