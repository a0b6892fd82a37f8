import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { killAllChildren } from '../connect/children.js';
import { isSeverity } from '../core/findings.js';
import { EXIT, type FailOn } from '../core/policy.js';
import { McpLockError, isMcpLockError } from '../errors.js';
import type { Report } from '../report/model.js';
import { escapeText } from '../report/escape.js';
import type { RunOptions } from '../run/index.js';
import {
  addAnchorOptions,
  addTrustedRootOptions,
  addSigningOptions,
  signingConfig,
  trustAnchors,
  type AnchorFlags,
  type SigningFlags,
} from './signing-options.js';
import { VERSION } from '../version.js';

interface GlobalOptions extends AnchorFlags, SigningFlags {
  log?: string;
  signatureOnly?: boolean;
  offline?: boolean;
  materialise?: boolean;
  config: string[];
  user: boolean;
  lockfile: string;
  format: 'human' | 'json' | 'sarif' | 'markdown';
  output?: string;
  timeout: number;
  concurrency: number;
  failOn: FailOn;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function failOn(value: string): FailOn {
  if (value === 'none' || isSeverity(value)) return value;
  throw new InvalidArgumentError('expected info, low, medium, high, critical or none');
}

const VARIABLES_HELP = `
Variables in configs are kept as written in the lockfile and expanded only to launch a server:
  \${VAR}, \${VAR:-default}, \${env:VAR}   from mcp-lock's environment
  \${userHome}, \${workspaceFolder}        the home folder, the working directory
  \${input:ID}                            from the environment variable MCP_LOCK_INPUT_<ID>
                                         (upper case, other characters as _), since CI has nobody to prompt
A server whose variable is not set is reported as server-unreachable; the run goes on.
Servers get a minimal environment (PATH, HOME, ...) plus exactly their config's env: never mcp-lock's own.

Exit codes: 0 ok; 1 findings at or above --fail-on; 2 the run could not be done; 3 a server could not be checked.`;

function addCommonOptions(command: Command): Command {
  return command
    .option(
      '-c, --config <file>',
      'an MCP config file (repeatable; default: discover the project configs)',
      (v, prev: string[]) => [...prev, v],
      [],
    )
    .option(
      '--user',
      'also read the user-level configs of Claude Desktop, Claude Code, Cursor, VS Code, Windsurf, Gemini CLI',
      false,
    )
    .option('-l, --lockfile <file>', 'the lockfile', 'mcp-lock.json')
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['human', 'json', 'sarif', 'markdown'])
        .default('human'),
    )
    .option('-o, --output <file>', 'write the report (in --format) to a file')
    .option('--timeout <ms>', 'time allowed per server, start to last list', positiveInt, 60_000)
    .option('--concurrency <n>', 'servers checked at once', positiveInt, 4)
    .option(
      '--fail-on <severity>',
      'lowest severity that fails the run (info|low|medium|high|critical|none)',
      failOn,
      'low' as FailOn,
    );
}

/** The commands, loaded on first use: `mcp-lock --version` and `--help` should not pay for the SDK and Sigstore. */
const loadCommands = () => import('../run/index.js');

/** The renderers, loaded when a report is printed. */
const RENDERERS = {
  json: async () => (await import('../report/json.js')).renderJson,
  sarif: async () => (await import('../report/sarif.js')).renderSarif,
  markdown: async () => (await import('../report/markdown.js')).renderMarkdown,
} as const;

/**
 * Human output goes to stdout, unless stdout carries a machine format: then the human summary goes to stderr.
 * With -o, the chosen format goes to the file and the human report to stdout.
 */
async function emit(
  report: Report,
  options: Pick<GlobalOptions, 'format' | 'output'>,
  full: boolean,
): Promise<void> {
  const colour = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env.NO_COLOR;
  const { renderHuman } = await import('../report/human.js');
  const human = (stream: NodeJS.WriteStream) => renderHuman(report, { color: colour(stream), full });
  const machine = options.format === 'human' ? undefined : (await RENDERERS[options.format]())(report);
  if (options.output) {
    try {
      await writeFile(resolve(options.output), machine ?? renderHuman(report, { color: false, full }));
    } catch (error) {
      throw new McpLockError('output-write', `${options.output}: cannot be written`, {
        hint: 'check the path given to --output',
        cause: error,
      });
    }
    process.stdout.write(human(process.stdout));
  } else if (machine !== undefined) {
    process.stdout.write(machine);
    process.stderr.write(human(process.stderr));
  } else {
    process.stdout.write(human(process.stdout));
  }
}

async function runOptions(servers: string[], options: GlobalOptions): Promise<RunOptions> {
  const signing = signingConfig(options, process.env);
  return {
    cwd: process.cwd(),
    configs: options.config,
    user: options.user,
    lockfile: options.lockfile,
    servers,
    timeoutMs: options.timeout,
    concurrency: options.concurrency,
    failOn: options.failOn,
    anchors: await trustAnchors(options, process.env),
    signatureOnly: options.signatureOnly ?? false,
    offline: options.offline ?? false,
    materialise: options.materialise ?? false,
    ...(signing ? { signing } : {}),
    onProgress: process.stderr.isTTY
      ? (server, phase, state) =>
          process.stderr.write(`  ${phase === 'start' ? 'checking' : state} ${escapeText(server)}\n`)
      : undefined,
  };
}

let exitCode: number = EXIT.ok;

function action(run: (opts: RunOptions) => Promise<Report>, full = false) {
  return async (servers: string[], options: GlobalOptions) => {
    const report = await run(await runOptions(servers, options));
    await emit(report, options, full);
    if (options.log) await (await import('../audit-log.js')).appendAuditLog(resolve(options.log), report);
    exitCode = report.exitCode;
  };
}

export function buildProgram(): Command {
  const program = new Command('mcp-lock')
    .description('A lockfile and security gate for MCP servers.')
    .version(VERSION)
    .addHelpText('after', VARIABLES_HELP)
    .showSuggestionAfterError();
  const commands: [string, string, (opts: RunOptions) => Promise<Report>, boolean?][] = [
    [
      'install',
      'pin every configured server not yet in the lockfile; report (not re-pin) drifted ones',
      async (o) => (await loadCommands()).install(o),
    ],
    [
      'update',
      'show what changed and accept the live state as the new pin',
      async (o) => (await loadCommands()).update(o),
    ],
    [
      'verify',
      're-fetch every locked server and compare: the CI gate and the drift check',
      async (o) => (await loadCommands()).verify(o),
    ],
    [
      'diff',
      'the analysis of verify, with whole before/after values',
      async (o) => (await loadCommands()).verify(o, 'diff'),
      true,
    ],
    [
      'outdated',
      'what each locked package resolves to today, the newest version, and trust changes (registries only)',
      async (o) => (await loadCommands()).outdated(o),
    ],
    [
      'ls',
      'configured servers, where each comes from, and lock status (launches nothing)',
      async (o) => (await loadCommands()).list(o),
    ],
    [
      'pin',
      'rewrite configs to the exact versions in the lockfile (pkg@1.2.3), keeping their comments',
      async (o) => (await loadCommands()).pinConfigs(o),
    ],
  ];
  for (const [name, description, run, full] of commands) {
    const command = addCommonOptions(
      program.command(name).description(description).argument('[servers...]', 'only these servers'),
    );
    if (name === 'verify' || name === 'diff') {
      addAnchorOptions(command)
        .option('--log <file>', 'append one JSON line for the run and one per finding (an audit trail)')
        .option('--signature-only', 'check only the lockfile signature: launch nothing', false)
        .option(
          '--offline',
          'launch no server: check the lockfile, the configs and the package registries',
          false,
        );
    }
    if (name === 'outdated') addTrustedRootOptions(command);
    if (name === 'install' || name === 'update' || name === 'pin')
      addTrustedRootOptions(addSigningOptions(command));
    if (name === 'install' || name === 'update' || name === 'verify' || name === 'diff') {
      command.option(
        '--materialise',
        "install each npm server's locked dependency tree (npm ci --ignore-scripts) in the cache and launch it from there",
        false,
      );
    }
    command.addHelpText('after', VARIABLES_HELP).action(action(run, full ?? false));
  }
  program
    .command('keygen')
    .description('make an ECDSA P-256 key pair for signing the lockfile offline')
    .option(
      '--private-key <file>',
      'where the private key goes (default: ~/.config/mcp-lock/mcp-lock.key, mode 0600)',
    )
    .option('--public-key <file>', 'where the public key goes', 'mcp-lock.pub')
    .action(async (options: { privateKey?: string; publicKey: string }) => {
      const made = await (await loadCommands()).keygen({ cwd: process.cwd(), ...options });
      process.stdout.write(
        `wrote ${escapeText(made.privateKey)} (private: keep it out of the repository)\nwrote ${escapeText(made.publicKey)} (public: verifiers pass it as --key)\nkey ${made.fingerprint}\n`,
      );
      exitCode = EXIT.ok;
    });
  addSigningOptions(
    program
      .command('sign')
      .description('sign the lockfile (writes <lockfile>.sigstore.json): with a key, offline, or keyless')
      .option('-l, --lockfile <file>', 'the lockfile', 'mcp-lock.json'),
    '',
  ).action(async (options: SigningFlags & { key?: string; keyless?: boolean; lockfile: string }) => {
    const signing = signingConfig({ ...options, signKey: options.key, signKeyless: options.keyless }, {});
    if (!signing) {
      throw new McpLockError('usage', 'sign needs --key FILE or --keyless', {
        hint: 'make a key with `mcp-lock keygen`',
      });
    }
    const report = await (
      await loadCommands()
    ).sign({ cwd: process.cwd(), failOn: 'low', lockfile: options.lockfile, signing });
    await emit(report, { format: 'human' }, false);
    exitCode = report.exitCode;
  });
  const acceptCommand = program
    .command('accept')
    .description(
      'record a reviewed decision in the lockfile: findings it covers are shown as accepted and do not fail',
    )
    .argument('<target>', 'server, server/tool, or * for every server')
    .requiredOption('--code <code>', 'the finding code to accept')
    .requiredOption('--reason <text>', 'why it was accepted (kept in the lockfile)')
    .option('--expires <date>', 'last day the decision applies (YYYY-MM-DD)')
    .option('-l, --lockfile <file>', 'the lockfile', 'mcp-lock.json')
    .addOption(new Option('--format <format>', 'report format').choices(['human', 'json']).default('human'));
  addSigningOptions(acceptCommand).action(
    async (
      target: string,
      options: {
        code: string;
        reason: string;
        expires?: string;
        lockfile: string;
        format: 'human' | 'json';
      } & SigningFlags,
    ) => {
      const signing = signingConfig(options, process.env);
      const report = await (
        await loadCommands()
      ).accept({
        cwd: process.cwd(),
        target,
        failOn: 'low',
        code: options.code,
        reason: options.reason,
        lockfile: options.lockfile,
        ...(options.expires ? { expires: options.expires } : {}),
        ...(signing ? { signing } : {}),
      });
      await emit(report, options, false);
      exitCode = report.exitCode;
    },
  );
  addAnchorOptions(
    program
      .command('run')
      .description(
        'stand in for one locked server on stdio: only reviewed definitions reach the client, every message is logged, sampling follows the lockfile',
      )
      .argument('<server>', 'the server, as named in the lockfile')
      .argument(
        '[launch...]',
        'after --: the launch line the client hands over (what `mcp-lock wrap` writes)',
      )
      .option('-l, --lockfile <file>', 'the lockfile', 'mcp-lock.json')
      .addOption(
        new Option('--on-drift <action>', 'what a drifted or new tool, prompt or template gets')
          .choices(['withhold', 'warn'])
          .default('withhold'),
      )
      .option('--log <file>', 'append one JSON line per request, notification and re-check')
      .option(
        '--syslog <address>',
        'also send each line to syslog (RFC 5424): udp://host:port or tcp://host:port',
      )
      .option(
        '--log-bodies',
        'log arguments and results too (values under secret-looking keys redacted)',
        false,
      )
      .option(
        '--timeout <ms>',
        "time allowed for mcp-lock's own re-check of the tool list",
        positiveInt,
        30_000,
      )
      .addOption(new Option('--no-original-args', 'set by wrap: the entry had no args').hideHelp()),
  ).action(
    async (
      server: string,
      launch: string[],
      options: AnchorFlags & {
        lockfile: string;
        onDrift: 'withhold' | 'warn';
        log?: string;
        syslog?: string;
        logBodies: boolean;
        timeout: number;
      },
    ) => {
      // Loaded alone: a proxy lives as long as the client's session, and should not hold the other commands.
      const { runProxy } = await import('../run/proxy.js');
      exitCode = await runProxy({
        cwd: process.cwd(),
        lockfile: options.lockfile,
        server,
        launch,
        onDrift: options.onDrift,
        ...(options.log ? { log: resolve(options.log) } : {}),
        ...(options.syslog ? { syslog: options.syslog } : {}),
        logBodies: options.logBodies,
        anchors: await trustAnchors(options, process.env),
        env: process.env,
        requestTimeoutMs: options.timeout,
      });
      // The client may keep its end of the pipe open after the server went: nothing more is read.
      process.stdin.destroy();
    },
  );
  for (const name of ['wrap', 'unwrap'] as const) {
    const command = program
      .command(name)
      .description(
        name === 'wrap'
          ? 'make each locked stdio server in the client configs launch through `mcp-lock run` (comments kept)'
          : 'make wrapped servers launch directly again, restoring each config byte for byte',
      )
      .argument('[servers...]', 'only these servers')
      .option(
        '-c, --config <file>',
        'an MCP config file (repeatable; default: discover the project configs)',
        (v, prev: string[]) => [...prev, v],
        [],
      )
      .option('--user', 'also the user-level configs of the clients', false)
      .option('-l, --lockfile <file>', 'the lockfile', 'mcp-lock.json')
      .addOption(
        new Option('--format <format>', 'report format').choices(['human', 'json']).default('human'),
      );
    if (name === 'wrap') {
      command.option('--launcher <command>', 'the command clients start in place of each server', 'mcp-lock');
    }
    command.action(
      async (
        servers: string[],
        options: {
          config: string[];
          user: boolean;
          lockfile: string;
          format: 'human' | 'json';
          launcher?: string;
        },
      ) => {
        const run: RunOptions = {
          cwd: process.cwd(),
          configs: options.config,
          user: options.user,
          lockfile: options.lockfile,
          servers,
          timeoutMs: 0,
          concurrency: 1,
          failOn: 'low',
        };
        const commands = await loadCommands();
        const report =
          name === 'wrap'
            ? await commands.wrap({ ...run, launcher: options.launcher ?? 'mcp-lock' })
            : await commands.unwrap(run);
        await emit(report, options, false);
        exitCode = report.exitCode;
      },
    );
  }
  const samplingCommand = program
    .command('allow-sampling')
    .description('record the sampling a server may ask of the client under `mcp-lock run` (default: none)')
    .argument('<server>', 'a locked server, or * for every server')
    .requiredOption('--max-tokens <n>', 'largest maxTokens one request may ask for', positiveInt)
    .requiredOption('--per-minute <n>', 'requests allowed per minute', positiveInt)
    .option(
      '--model <pattern>',
      'a model the client may answer with (repeatable; * is a wildcard)',
      (v, prev: string[]) => [...prev, v],
      [],
    )
    .option('--timeout-seconds <n>', 'how long the client gets to answer', positiveInt)
    .option('--session-tokens <n>', 'total maxTokens of all requests in one session', positiveInt)
    .requiredOption('--reason <text>', 'why this server may sample (kept in the lockfile)')
    .option('--expires <date>', 'last day the policy applies (YYYY-MM-DD)')
    .option('-l, --lockfile <file>', 'the lockfile', 'mcp-lock.json')
    .addOption(new Option('--format <format>', 'report format').choices(['human', 'json']).default('human'));
  addSigningOptions(samplingCommand).action(
    async (
      server: string,
      options: {
        maxTokens: number;
        perMinute: number;
        model: string[];
        timeoutSeconds?: number;
        sessionTokens?: number;
        reason: string;
        expires?: string;
        lockfile: string;
        format: 'human' | 'json';
      } & SigningFlags,
    ) => {
      const signing = signingConfig(options, process.env);
      const report = await (
        await loadCommands()
      ).allowSampling({
        cwd: process.cwd(),
        lockfile: options.lockfile,
        server,
        reason: options.reason,
        ...(options.expires ? { expires: options.expires } : {}),
        ...(signing ? { signing } : {}),
        policy: {
          maxTokens: options.maxTokens,
          requestsPerMinute: options.perMinute,
          ...(options.model.length > 0 ? { models: options.model } : {}),
          ...(options.timeoutSeconds ? { timeoutSeconds: options.timeoutSeconds } : {}),
          ...(options.sessionTokens ? { sessionTokens: options.sessionTokens } : {}),
        },
      });
      await emit(report, options, false);
      exitCode = report.exitCode;
    },
  );
  return program;
}

function fail(message: string, hint?: string): number {
  process.stderr.write(`mcp-lock: error: ${escapeText(message)}\n`);
  if (hint) process.stderr.write(`mcp-lock: hint: ${escapeText(hint)}\n`);
  return EXIT.error;
}

/** The one exit path: errors map to 2 with one line and a hint; reports carry their own exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  program.configureOutput({ writeErr: () => {} });
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeErr: () => {} });
  }
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT.ok;
      return fail(
        error.message.replace(/^error: /, ''),
        'run `mcp-lock --help` for the commands and options',
      );
    }
    if (isMcpLockError(error)) return fail(error.message, error.hint);
    return fail(
      `unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
      'please report this as a bug',
    );
  }
}

/** Installs the handlers that make sure no server outlives mcp-lock, then runs. */
export async function runCli(argv: string[]): Promise<void> {
  process.on('exit', killAllChildren);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      killAllChildren();
      process.stderr.write(`mcp-lock: interrupted (${signal}); every server started was stopped\n`);
      process.exit(code);
    });
  }
  const code = await main(argv);
  process.exitCode = code;
}
