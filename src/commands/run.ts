import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { passedOnSecrets, serverEnvironment } from '../connect/env.js';
import { ProcessTransport } from '../connect/stdio.js';
import type { OnDrift } from '../core/proxy-gate.js';
import { secretArguments } from '../core/lockfile/source.js';
import { configSecrets, redactText } from '../core/redact.js';
import { samplingPolicyFor } from '../core/sampling.js';
import { DEFAULT_LIMITS } from '../core/server-snapshot.js';
import { McpLockError } from '../errors.js';
import { ClientStdioTransport } from '../proxy/client-stdio.js';
import { openProxyLog } from '../proxy/log.js';
import { fromLockedTree, remoteLaunch, serverLaunch } from '../proxy/server-launch.js';
import { ProxySession } from '../proxy/session.js';
import { lineRedactor } from '../proxy/stderr-lines.js';
import { parseSyslogAddress } from '../proxy/syslog.js';
import { escapeText } from '../report/escape.js';
import type { TrustAnchors } from '../signing/lockfile-signature.js';
import { findUp, parseLockfileText } from '../store/lockfile-store.js';
import { openWorkspace, type Env } from '../workspace.js';
import { defineCommand } from './definition.js';
import { anchorsOf } from './options.js';
import { ANCHOR_PARAMS } from './params.js';
import { openSandbox, type SandboxedLaunch } from '../sandbox/index.js';
import { npxCachedLaunch } from '../observe/npx-warmup.js';
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
  /** Launch a stdio server in the sandbox, granted what its lock entry grants. */
  sandbox?: boolean;
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
  const { store } = openWorkspace({ ...options, lockfile: await findUp(options.cwd, options.lockfile) });
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
  const lock = await parseLockfileText(text, store.display);
  const entry = Object.hasOwn(lock.servers, options.server) ? lock.servers[options.server] : undefined;
  if (!entry) {
    throw new McpLockError('server-unknown', `no server named "${options.server}" in ${store.display}`, {
      hint: 'run `mcp-lock ls` to see the locked servers',
    });
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
  const { stdin, stdout, stderr } = options;
  let secrets: string[] = [];
  const warn = (text: string) =>
    stderr.write(`mcp-lock run: ${escapeText(options.server)}: ${escapeText(redactText(text, secrets))}\n`);
  const serverLog = lineRedactor((text) => stderr.write(escapeText(text, { multiline: true })), secrets);
  let server: Transport;
  let child: ProcessTransport | undefined;
  if (entry.source.transport === 'stdio') {
    const launch = await fromLockedTree(input, await serverLaunch(input));
    secrets = configSecrets([
      ...Object.values(launch.configured),
      ...secretArguments(launch.args).map((a) => a.value),
      ...passedOnSecrets(options.env),
    ]);
    if (launch.note) warn(launch.note);
    const plain = {
      command: launch.command,
      args: launch.args,
      cwd: launch.cwd,
      env: serverEnvironment(options.env, launch.configured, launch.command),
    };
    // With --sandbox, the server gets what its lock entry grants for the whole session, and nothing more; an npx
    // line runs the locked version's bin from npx's cache (npx inside can reach neither registry nor cache).
    let sandboxed: SandboxedLaunch | undefined;
    if (options.sandbox) {
      const sandbox = await openSandbox('require', {
        project: dirname(store.path),
        home: input.home,
        env: options.env,
      });
      const pkg = entry.package;
      const cachedLaunch =
        pkg?.type === 'npm' && pkg.version
          ? await npxCachedLaunch({
              ...plain,
              name: pkg.name,
              version: pkg.version,
              env: options.env,
              home: input.home,
            })
          : undefined;
      sandboxed = sandbox.wrap(
        cachedLaunch ? { ...plain, command: cachedLaunch.command, args: cachedLaunch.args } : plain,
        entry.permissions,
      );
    }
    child = new ProcessTransport({
      ...plain,
      ...sandboxed,
      maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
      maxStderrBytes: DEFAULT_LIMITS.maxStderrBytes,
      onStderr: (chunk) => serverLog.write(chunk),
    });
    server = child;
  } else {
    // A remote server: stdio to the client, streamable HTTP (or SSE) to the server, the config's headers sent.
    const remote = remoteLaunch(input);
    secrets = configSecrets([...remote.configured, ...passedOnSecrets(options.env)]);
    // The SDK's HTTP transports are loaded only for a remote server (a stdio proxy starts ~30 ms sooner).
    const { UpstreamHttpTransport } = await import('../proxy/upstream-http.js');
    server = new UpstreamHttpTransport({
      url: remote.url,
      headers: remote.headers,
      sse: entry.source.transport === 'sse',
      maxBytes: DEFAULT_LIMITS.maxTotalBytes * 64,
      onLimit: (error) => warn(error.message),
    });
  }
  serverLog.setSecrets(secrets);
  const client = new ClientStdioTransport(stdin, stdout, DEFAULT_LIMITS.maxMessageBytes);
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
  if (child?.escaped) warn(`${child.escaped} process(es) the server started outlived it and were killed`);
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
    'restore',
    'runSandbox',
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
      sandbox: params.runSandbox,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
    });
    // The client may keep its end of the pipe open after the server went: nothing more is read.
    io.stdin.destroy();
    return code;
  },
});
