import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { serverEnvironment } from '../connect/env.js';
import { LaunchError, parseEnvFile, resolveLaunch } from '../connect/launch.js';
import { ProcessTransport } from '../connect/stdio.js';
import type { OnDrift } from '../core/proxy-gate.js';
import type { LockServer } from '../core/lockfile/schema.js';
import { redactText, secretValues, stderrSecretValues } from '../core/redact.js';
import { samplingPolicyFor } from '../core/sampling.js';
import { DEFAULT_LIMITS } from '../core/server-snapshot.js';
import type { ServerSpec } from '../core/server-spec.js';
import { launchMatches } from '../core/wrapped-entry.js';
import { npxInvocation } from '../core/package/launch-line.js';
import { materialisedTree, treeBin, treeCacheRoot } from '../registry/materialise.js';
import { McpLockError } from '../errors.js';
import { parseLockfileText, readLockfileText } from '../lockfile-io.js';
import { openProxyLog } from '../proxy/log.js';
import { ProxySession } from '../proxy/session.js';
import { parseSyslogAddress } from '../proxy/syslog.js';
import { escapeText } from '../report/escape.js';
import type { TrustAnchors } from '../signing/lockfile-signature.js';
import { context } from './context.js';

export interface ProxyOptions {
  cwd: string;
  lockfile: string;
  server: string;
  /** The launch line the client handed over after `--` (a wrapped config); none: launch the locked one. */
  launch: string[];
  onDrift: OnDrift;
  log?: string;
  syslog?: string;
  logBodies: boolean;
  anchors?: TrustAnchors;
  env: Readonly<Record<string, string | undefined>>;
  home?: string;
  today?: string;
  requestTimeoutMs: number;
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

function anchored(anchors: TrustAnchors | undefined): anchors is TrustAnchors {
  return (
    anchors !== undefined &&
    (anchors.keys.length > 0 || anchors.identity !== undefined || anchors.requireSignature)
  );
}

/** Names a VS Code `envFile` defines: the client loaded them into mcp-lock's environment, so they go on. */
async function envFileNames(path: string): Promise<string[]> {
  try {
    return Object.keys(parseEnvFile(await readFile(path, 'utf8')));
  } catch {
    return [];
  }
}

/**
 * What to start: the client's launch line when it is the locked one (its variables expanded by the client), or the
 * locked launch line expanded here. The server's environment is the minimal base plus the variables its config
 * names — which the client has set in mcp-lock's environment.
 */
async function serverLaunch(options: ProxyOptions, entry: LockServer, lockDisplay: string) {
  const source = entry.source;
  const names = [
    ...(source.env ?? []),
    ...(source.envFile ? await envFileNames(resolve(options.cwd, source.envFile)) : []),
  ];
  const configured: Record<string, string> = {};
  for (const name of names) {
    const value = options.env[name];
    if (value !== undefined) configured[name] = value;
  }
  if (options.launch.length > 0) {
    const [command, ...args] = options.launch as [string, ...string[]];
    if (!launchMatches(source, command, args)) {
      throw new McpLockError(
        'launch-mismatch',
        `${options.server}: the launch line differs from the one in ${lockDisplay}, so it is not started`,
        {
          hint: 'if the config was changed on purpose: `mcp-lock unwrap`, `mcp-lock update`, then `mcp-lock wrap`',
        },
      );
    }
    return { command, args, cwd: options.cwd, configured };
  }
  const spec: ServerSpec = {
    name: options.server,
    origin: { file: lockDisplay, key: options.server, client: 'generic' },
    transport: 'stdio',
    command: source.command!,
    args: source.args ?? [],
    env: Object.fromEntries((source.env ?? []).map((n) => [n, `\${env:${n}}`])),
    ...(source.cwd !== undefined ? { cwd: source.cwd } : {}),
    ...(source.envFile !== undefined ? { envFile: source.envFile } : {}),
  };
  try {
    const launch = await resolveLaunch(spec, {
      env: options.env,
      userHome: options.home ?? homedir(),
      workspaceFolder: options.cwd,
      pathSeparator: '/',
    });
    return {
      command: launch.command!,
      args: launch.args,
      cwd: launch.cwd,
      configured: { ...launch.env, ...configured },
    };
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    throw new McpLockError('usage', `${options.server} cannot be launched: ${error.message}`, {
      hint: 'set them in the environment, or launch it through its client config (`mcp-lock wrap`)',
    });
  }
}

/**
 * An npm server whose locked dependency tree is installed (`install --materialise`) is started from that tree, so the
 * session runs exactly the reviewed code; otherwise it goes through npx as configured, with a note saying so.
 */
async function fromLockedTree(
  options: ProxyOptions,
  entry: LockServer,
  launch: Awaited<ReturnType<typeof serverLaunch>>,
): Promise<Awaited<ReturnType<typeof serverLaunch>> & { note?: string }> {
  const pkg = entry.package;
  if (pkg?.type !== 'npm' || !pkg.dependencies) return launch;
  const invocation = npxInvocation(launch.command, launch.args);
  if (!invocation) return launch;
  const dir = await materialisedTree(
    treeCacheRoot(options.env, options.home ?? homedir()),
    pkg.dependencies.digest,
  );
  if (!dir) {
    return {
      ...launch,
      note: 'started through npx: its locked dependency tree is not installed (run `mcp-lock install --materialise`)',
    };
  }
  try {
    return { ...launch, command: await treeBin(dir, pkg.name, invocation.bin), args: invocation.args };
  } catch (error) {
    return { ...launch, note: `started through npx: ${(error as Error).message}` };
  }
}

/**
 * The server's own stderr is the client's MCP log: passed on a line at a time, so a secret the server prints cannot
 * slip through split across two chunks, with secrets and terminal escapes taken out. A line that never ends is
 * passed on once it is long.
 */
function lineRedactor(write: (text: string) => void, secrets: readonly string[]) {
  const MAX_PENDING = 64 * 1024;
  let pending = '';
  const out = (text: string) => text && write(redactText(text, secrets));
  return {
    write(chunk: string) {
      pending += chunk;
      const end = pending.lastIndexOf('\n');
      if (end !== -1) {
        out(pending.slice(0, end + 1));
        pending = pending.slice(end + 1);
      }
      if (pending.length > MAX_PENDING) {
        out(pending);
        pending = '';
      }
    },
    flush() {
      out(pending);
      pending = '';
    },
  };
}

/**
 * `run`: stands in for one locked server on stdio. The lockfile is read (and its signature checked when trust anchors
 * are given) before anything starts; then the server runs behind a session that lets through only what was reviewed.
 * Resolves with the exit code once either side has gone.
 */
export async function runProxy(options: ProxyOptions): Promise<number> {
  const ctx = context({
    cwd: options.cwd,
    configs: [],
    user: false,
    lockfile: options.lockfile,
    servers: [],
    timeoutMs: 0,
    concurrency: 1,
    failOn: 'low',
    env: options.env,
  });
  if (options.syslog !== undefined && !parseSyslogAddress(options.syslog)) {
    throw new McpLockError('usage', `--syslog ${options.syslog} is not a syslog address`, {
      hint: 'write it as udp://host:port or tcp://host:port',
    });
  }
  const text = await readLockfileText(ctx.lockPath, ctx.lockDisplay);
  if (text === null) {
    throw new McpLockError('lockfile-missing', `${ctx.lockDisplay}: no lockfile`, {
      hint: 'run `mcp-lock install` to create it, or name it with --lockfile',
    });
  }
  if (anchored(options.anchors)) {
    const { checkSignature } = await import('../signing/lockfile-signature.js');
    const signature = await checkSignature(text, ctx.lockPath, ctx.lockDisplay, options.anchors);
    if (signature.summary.status !== 'valid') {
      throw new McpLockError('lockfile-untrusted', `${ctx.lockDisplay}: ${signature.summary.message}`, {
        hint: 'the server is not started: verify the lockfile with `mcp-lock verify` and re-sign it',
      });
    }
  }
  const lock = parseLockfileText(text, ctx.lockDisplay);
  const entry = lock.servers[options.server];
  if (!entry) {
    throw new McpLockError('server-unknown', `no server named "${options.server}" in ${ctx.lockDisplay}`, {
      hint: 'run `mcp-lock ls` to see the locked servers',
    });
  }
  if (entry.source.transport !== 'stdio') {
    throw new McpLockError(
      'usage',
      `${options.server} connects over HTTP; mcp-lock run proxies stdio servers`,
      {
        hint: 'connect the client to it directly, and check it with `mcp-lock verify`',
      },
    );
  }
  const launch = await fromLockedTree(options, entry, await serverLaunch(options, entry, ctx.lockDisplay));
  const secrets = secretValues(Object.values(launch.configured));
  const stderr = options.stderr ?? process.stderr;
  const warn = (text: string) =>
    stderr.write(`mcp-lock run: ${escapeText(options.server)}: ${escapeText(redactText(text, secrets))}\n`);

  if (launch.note) warn(launch.note);
  const serverLog = lineRedactor(
    (text) => stderr.write(escapeText(text, { multiline: true })),
    stderrSecretValues(Object.values(launch.configured)),
  );
  const server = new ProcessTransport({
    command: launch.command,
    args: launch.args,
    cwd: launch.cwd,
    env: serverEnvironment(options.env, launch.configured),
    maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
    maxStderrBytes: DEFAULT_LIMITS.maxStderrBytes,
    onStderr: (chunk) => serverLog.write(chunk),
  });
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const client = new StdioServerTransport(stdin, stdout);
  const log = openProxyLog(
    { ...(options.log ? { file: options.log } : {}), ...(options.syslog ? { syslog: options.syslog } : {}) },
    warn,
  );
  const session = new ProxySession(client, server, {
    server: options.server,
    locked: entry,
    lockDisplay: ctx.lockDisplay,
    onDrift: options.onDrift,
    sampling: samplingPolicyFor(
      lock.decisions,
      options.server,
      options.today ?? new Date().toISOString().slice(0, 10),
    ),
    secrets,
    logBodies: options.logBodies,
    log,
    warn,
    requestTimeoutMs: options.requestTimeoutMs,
  });
  stdin.once('end', () => void session.close('the client disconnected'));
  stdout.on('error', () => void session.close('the client stopped reading'));
  try {
    await session.start();
  } catch (error) {
    await session.close('the server could not be started');
    await log.close();
    throw new McpLockError(
      'usage',
      `${options.server} could not be started: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: `check its launch line in ${ctx.lockDisplay}`,
      },
    );
  }
  await session.ended;
  serverLog.flush();
  await log.close();
  return 0;
}
