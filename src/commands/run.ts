import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { passedOnSecrets, serverEnvironment } from '../connect/env.js';
import { ProcessTransport } from '../connect/stdio.js';
import type { OnDrift } from '../core/proxy-gate.js';
import { secretArguments } from '../core/lockfile/source.js';
import { configSecrets, redactText } from '../core/redact.js';
import { samplingPolicyFor } from '../core/sampling.js';
import { DEFAULT_LIMITS } from '../core/server-snapshot.js';
import { McpLockError } from '../errors.js';
import { openProxyLog } from '../proxy/log.js';
import { fromLockedTree, serverLaunch } from '../proxy/server-launch.js';
import { ProxySession } from '../proxy/session.js';
import { lineRedactor } from '../proxy/stderr-lines.js';
import { parseSyslogAddress } from '../proxy/syslog.js';
import { escapeText } from '../report/escape.js';
import type { TrustAnchors } from '../signing/lockfile-signature.js';
import { parseLockfileText } from '../store/lockfile-store.js';
import { openWorkspace, type Env } from '../workspace.js';
import { defineCommand } from './definition.js';
import { anchorsOf } from './options.js';
import { ANCHOR_PARAMS } from './params.js';
import { anchored } from './trust.js';

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
  env: Env;
  home?: string;
  /** `YYYY-MM-DD`, for the expiry of the sampling policy. */
  today: string;
  requestTimeoutMs: number;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/**
 * `run`: stands in for one locked server on stdio. The lockfile is read (and its signature checked when trust anchors
 * are given) before anything starts; then the server runs behind a session that lets through only what was reviewed.
 * Resolves with the exit code once either side has gone.
 */
export async function runProxy(options: ProxyOptions): Promise<number> {
  const { store } = openWorkspace(options);
  if (options.syslog !== undefined && !parseSyslogAddress(options.syslog)) {
    throw new McpLockError('usage', `--syslog ${options.syslog} is not a syslog address`, {
      hint: 'write it as udp://host:port or tcp://host:port',
    });
  }
  const text = await store.requireText();
  if (anchored(options.anchors)) {
    const { checkSignature } = await import('../signing/lockfile-signature.js');
    const signature = await checkSignature(text, store.path, store.display, options.anchors);
    if (signature.summary.status !== 'valid') {
      throw new McpLockError('lockfile-untrusted', `${store.display}: ${signature.summary.message}`, {
        hint: 'the server is not started: verify the lockfile with `mcp-lock verify` and re-sign it',
      });
    }
  }
  const lock = parseLockfileText(text, store.display);
  const entry = Object.hasOwn(lock.servers, options.server) ? lock.servers[options.server] : undefined;
  if (!entry) {
    throw new McpLockError('server-unknown', `no server named "${options.server}" in ${store.display}`, {
      hint: 'run `mcp-lock ls` to see the locked servers',
    });
  }
  if (entry.source.transport !== 'stdio') {
    throw new McpLockError(
      'transport-unsupported',
      `${options.server} connects over HTTP; mcp-lock run proxies stdio servers`,
      { hint: 'connect the client to it directly, and check it with `mcp-lock verify`' },
    );
  }
  const input = {
    server: options.server,
    entry,
    lockDisplay: store.display,
    launch: options.launch,
    cwd: options.cwd,
    env: options.env,
    home: options.home ?? homedir(),
  };
  const launch = await fromLockedTree(input, await serverLaunch(input));
  const secrets = configSecrets([
    ...Object.values(launch.configured),
    ...secretArguments(launch.args).map((a) => a.value),
    ...passedOnSecrets(options.env),
  ]);
  const { stdin, stdout, stderr } = options;
  const warn = (text: string) =>
    stderr.write(`mcp-lock run: ${escapeText(options.server)}: ${escapeText(redactText(text, secrets))}\n`);

  if (launch.note) warn(launch.note);
  const serverLog = lineRedactor((text) => stderr.write(escapeText(text, { multiline: true })), secrets);
  const server = new ProcessTransport({
    command: launch.command,
    args: launch.args,
    cwd: launch.cwd,
    env: serverEnvironment(options.env, launch.configured),
    maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
    maxStderrBytes: DEFAULT_LIMITS.maxStderrBytes,
    onStderr: (chunk) => serverLog.write(chunk),
  });
  const client = new StdioServerTransport(stdin, stdout);
  const log = openProxyLog(
    { ...(options.log ? { file: options.log } : {}), ...(options.syslog ? { syslog: options.syslog } : {}) },
    warn,
  );
  const session = new ProxySession(client, server, {
    server: options.server,
    locked: entry,
    lockDisplay: store.display,
    onDrift: options.onDrift,
    sampling: samplingPolicyFor(lock.decisions, options.server, options.today),
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
      'server-not-started',
      `${options.server} could not be started: ${error instanceof Error ? error.message : String(error)}`,
      { hint: `check its launch line in ${store.display}` },
    );
  }
  await session.ended;
  serverLog.flush();
  if (server.escaped) warn(`${server.escaped} process(es) the server started outlived it and were killed`);
  await log.close();
  return 0;
}

export const runCommand = defineCommand({
  name: 'run',
  summary:
    'stand in for one locked server on stdio: only reviewed definitions reach the client, every message is logged, sampling follows the lockfile',
  args: [
    { name: '<server>', description: 'the server, as named in the lockfile' },
    {
      name: '[launch...]',
      description: 'after --: the launch line the client hands over (what `mcp-lock wrap` writes)',
    },
  ],
  params: [
    'lockfile',
    'onDrift',
    'sessionLog',
    'syslog',
    'logBodies',
    'recheckTimeout',
    'originalArgs',
    ...ANCHOR_PARAMS,
  ],
  async run({ args, params, io }) {
    const code = await runProxy({
      cwd: io.cwd,
      lockfile: params.lockfile,
      server: args[0] as string,
      launch: (args[1] as string[] | undefined) ?? [],
      onDrift: params.onDrift,
      ...(params.sessionLog ? { log: resolve(io.cwd, params.sessionLog) } : {}),
      ...(params.syslog ? { syslog: params.syslog } : {}),
      logBodies: params.logBodies,
      anchors: await anchorsOf(params, io),
      env: io.env,
      today: io.today,
      requestTimeoutMs: params.recheckTimeout,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
    });
    // The client may keep its end of the pipe open after the server went: nothing more is read.
    io.stdin.destroy();
    return code;
  },
});
