import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { COMMANDS, isCommandName } from '../commands/index.js';
import type { CommandDefinition, CommandIO } from '../commands/definition.js';
import { FORMATS, PARAMS, ParamError, type Format, type ParamName } from '../commands/params.js';
import { killAllChildren } from '../connect/children.js';
import { EXIT } from '../core/policy.js';
import { McpLockError, isMcpLockError } from '../errors.js';
import type { CommandName } from '../report/model.js';
import { VERSION } from '../version.js';
import { emitError, emitReport, type Streams } from './output.js';

const VARIABLES_HELP = `
Variables in configs are kept as written in the lockfile and expanded only to launch a server:
  \${VAR}, \${VAR:-default}, \${env:VAR}   from mcp-lock's environment
  \${userHome}, \${workspaceFolder}        the home folder, the working directory
  \${input:ID}                            from the environment variable MCP_LOCK_INPUT_<ID>
                                         (upper case, other characters as _), since CI has nobody to prompt
A server whose variable is not set is reported as server-unreachable; the run goes on.
Servers get a minimal environment (PATH, HOME, ...) plus exactly their config's env: never mcp-lock's own.

Exit codes: 0 ok; 1 findings at or above --fail-on; 2 the run could not be done; 3 a server could not be checked.`;

const ISSUES_URL = 'https://github.com/mcp-lock/mcp-lock/issues';

function option(name: ParamName): Option {
  const param = PARAMS[name] as (typeof PARAMS)[ParamName] & {
    choices?: readonly string[];
    parse?: (value: string, previous: unknown) => unknown;
    default?: unknown;
    required?: boolean;
    hidden?: boolean;
  };
  const opt = new Option(param.flags, param.description);
  if (param.choices) opt.choices(param.choices);
  if (param.parse) {
    const parse = param.parse;
    opt.argParser((value: string, previous: unknown) => {
      try {
        return parse(value, previous);
      } catch (error) {
        if (error instanceof ParamError) throw new InvalidArgumentError(error.message);
        throw error;
      }
    });
  }
  // Booleans and lists start empty without saying so in the help; the value is filled in after parsing.
  const quiet = param.default === false || (Array.isArray(param.default) && param.default.length === 0);
  if (param.default !== undefined && !quiet && !param.flags.startsWith('--no-')) opt.default(param.default);
  if (param.required) opt.makeOptionMandatory();
  if (param.hidden) opt.hideHelp();
  return opt;
}

/** What a parse chose: the command and its values, keyed by param name. */
interface Chosen {
  definition: CommandDefinition;
  args: (string | string[] | undefined)[];
  params: Record<string, unknown>;
}

function addCommand(program: Command, definition: CommandDefinition, chosen: { value?: Chosen }): void {
  const command = program.command(definition.name).description(definition.summary);
  for (const arg of definition.args) command.argument(arg.name, arg.description);
  const attributes = new Map<string, ParamName>();
  for (const name of definition.params) {
    const opt = option(name);
    attributes.set(opt.attributeName(), name);
    command.addOption(opt);
  }
  if (definition.launchesServers) command.addHelpText('after', VARIABLES_HELP);
  command.exitOverride().configureOutput({ writeErr: () => {} });
  command.action((...received: unknown[]) => {
    const args = received.slice(0, definition.args.length) as (string | string[] | undefined)[];
    const values = command.opts();
    const params: Record<string, unknown> = {};
    for (const [attribute, name] of attributes) {
      params[name] = values[attribute] ?? (PARAMS[name] as { default?: unknown }).default;
    }
    chosen.value = { definition, args, params };
  });
}

/** The `--format` of an argv that failed to parse, so even a usage error is answered in the format asked for. */
function formatIn(argv: readonly string[]): Format | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg === '--format' ? argv[i + 1] : arg.startsWith('--format=') ? arg.slice(9) : undefined;
    if (value !== undefined && (FORMATS as readonly string[]).includes(value)) return value as Format;
  }
  return undefined;
}

/** Builds the program with the command argv names (loaded alone), or every command for help and suggestions. */
async function buildProgram(
  argv: readonly string[],
  chosen: { value?: Chosen },
  commands: CommandTable,
): Promise<Command> {
  const program = new Command('mcp-lock')
    .description('A lockfile and security gate for MCP servers.')
    .version(VERSION)
    .addHelpText('after', VARIABLES_HELP)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  const named = argv[2];
  const names = isCommandName(named) ? [named] : (Object.keys(commands) as CommandName[]);
  for (const definition of await Promise.all(names.map((n) => commands[n]()))) {
    addCommand(program, definition, chosen);
  }
  return program;
}

export interface MainIO extends CommandIO, Streams {}

type CommandTable = typeof COMMANDS;

/**
 * The one exit path: a command's report is printed in `--format` and its exit code returned; an McpLockError is one
 * line with its code and a hint (exit 2); anything else is a bug, said so (exit 2).
 */
export async function main(argv: string[], io: MainIO, commands: CommandTable = COMMANDS): Promise<number> {
  if (argv[2] === '--version' || argv[2] === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const chosen: { value?: Chosen } = {};
  let format = formatIn(argv);
  try {
    const program = await buildProgram(argv, chosen, commands);
    await program.parseAsync(argv);
    if (!chosen.value) return EXIT.ok;
    const { definition, args, params } = chosen.value;
    format = (params.format as Format | undefined) ?? format;
    const result = await definition.run({ args, params: params as never, io });
    if (typeof result === 'number') return result;
    await emitReport(
      result,
      {
        format: format ?? 'human',
        output: params.output as string | undefined,
        full: definition.full ?? false,
        cwd: io.cwd,
      },
      io,
    );
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) {
        return EXIT.ok;
      }
      emitError(
        new McpLockError('usage', error.message.replace(/^error: /, ''), {
          hint: 'run `mcp-lock --help` for the commands and options',
        }),
        format,
        io,
      );
      return EXIT.error;
    }
    if (isMcpLockError(error)) {
      emitError(error, format, io);
      return EXIT.error;
    }
    emitError(
      new McpLockError(
        'internal',
        `unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
        {
          hint: `this is a bug in mcp-lock ${VERSION}: please report it at ${ISSUES_URL} with the command you ran`,
        },
      ),
      format,
      io,
    );
    return EXIT.error;
  }
}

/** Installs the handlers that make sure no server outlives mcp-lock, then runs. */
export async function runCli(argv: string[]): Promise<void> {
  process.on('exit', killAllChildren);
  // A reader that went away (`mcp-lock ls | head`) is not a failure of the run.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
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
  process.exitCode = await main(argv, {
    cwd: process.cwd(),
    env: process.env,
    today: new Date().toISOString().slice(0, 10),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    progress: Boolean(process.stderr.isTTY),
    colour: (stream) => Boolean(stream.isTTY) && !process.env.NO_COLOR,
  });
}
