import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { entryPath } from '../config/arg-edits.js';
import { readConfiguredServers, selectServers } from '../config/scope.js';
import { editorFor } from '../config/editors.js';
import { WrapError } from '../config/wrap.js';
import { McpLockError } from '../errors.js';
import { buildReport } from '../report/build.js';
import type { Report } from '../report/model.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { openWorkspace } from '../workspace.js';
import { defineCommand, names } from './definition.js';
import { scopeOf, type ScopeOptions } from './options.js';
import { REPORT_PARAMS, SCOPE_PARAMS } from './params.js';
import { own } from '../core/proto-keys.js';
import { MAX_CONFIG_BYTES } from '../config/read.js';
import { readBoundedText } from '../store/bounded-read.js';

export interface WrapOptions extends ScopeOptions {
  /**
   * What clients start in place of each server, split on spaces (clients start it without a shell): by default
   * `npx --no-install mcp-lock` when mcp-lock is a dependency of the project, else `mcp-lock` on PATH.
   */
  launcher?: string;
  /** Wrapped stdio servers run in the sandbox with their lock's permissions. */
  sandbox?: boolean;
}

/** Whether a command can be found the way a client would find it: a path that exists, or a name on PATH. */
async function findable(command: string, cwd: string, path: string | undefined): Promise<boolean> {
  const candidates = /[\\/]/.test(command)
    ? [resolve(cwd, command)]
    : (path ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return true;
    } catch {
      // Not here.
    }
  }
  return false;
}

/** The launcher, and a warning when clients will not be able to start it. */
async function launcherFor(option: string | undefined, cwd: string, path: string | undefined) {
  if (option !== undefined) {
    const [command, ...args] = option.trim().split(/\s+/) as [string, ...string[]];
    return { launcher: { command, args }, found: await findable(command, cwd, path) };
  }
  if (await findable(join('node_modules', '.bin', 'mcp-lock'), cwd, path)) {
    return { launcher: { command: 'npx', args: ['--no-install', 'mcp-lock'] }, found: true };
  }
  return { launcher: { command: 'mcp-lock', args: [] }, found: await findable('mcp-lock', cwd, path) };
}

type Rewrite = (text: string, path: (string | number)[]) => string | null;
type Edits = Map<string, { path: (string | number)[]; rewrite: Rewrite }[]>;

async function rewriteFiles(edits: Edits, paths: Map<string, string>): Promise<void> {
  for (const [display, entries] of edits) {
    const file = paths.get(display)!;
    let text = await readBoundedText(file, MAX_CONFIG_BYTES);
    for (const { path, rewrite } of entries) {
      try {
        text = rewrite(text, path) ?? text;
      } catch (error) {
        if (!(error instanceof WrapError)) throw error;
        throw new McpLockError('config-invalid', `${display}: ${error.message}`, {
          hint: `fix ${display}, or wrap the other servers by name`,
        });
      }
    }
    await writeFileAtomic(file, text, { display, code: 'config-write' });
  }
}

function addEdit(edits: Edits, file: string, path: (string | number)[], rewrite: Rewrite): void {
  const list = edits.get(file) ?? [];
  list.push({ path, rewrite });
  edits.set(file, list);
}

/**
 * `wrap`: every locked stdio server in the configs in scope launches through `mcp-lock run`, which lets through only
 * the definitions in the lockfile. Text is inserted, never re-serialised, so `unwrap` restores each file exactly.
 */
export async function wrap(options: WrapOptions): Promise<Report> {
  const workspace = openWorkspace(options);
  const { store, discovery } = workspace;
  const lock = await store.require();
  const { servers, notes, paths } = await readConfiguredServers(
    { configs: options.configs ?? [], user: options.user ?? false },
    discovery,
  );
  const edits: Edits = new Map();
  const { launcher, found } = await launcherFor(options.launcher, discovery.cwd, workspace.env.PATH);
  // A project's config gets the lockfile as the project sees it, so the reference works on every clone; the client
  // starts the server in the project (run also looks in the folders above). A user's config may name it absolutely.
  const fromProject = relative(discovery.cwd, store.path);
  const projectRef = fromProject.startsWith('..') || isAbsolute(fromProject) ? store.path : fromProject;
  for (const server of selectServers(servers, options.servers ?? [], lock, store.display)) {
    if (!own(lock.servers, server.name)) {
      notes.push(`${server.name}: not wrapped: it is not in ${store.display} (run \`mcp-lock install\`)`);
      continue;
    }
    for (const spec of server.specs) {
      if (spec.wrapped) continue;
      const lockfile = spec.origin.scope === 'user' ? store.path : projectRef;
      const target = { server: server.name, lockfile, launcher, sandbox: options.sandbox ?? false };
      const at = entryPath(spec, discovery.cwd);
      if (spec.transport === 'stdio') {
        addEdit(edits, spec.origin.file, at, (t, p) =>
          editorFor(spec.origin.file).wrap(t, p, target, spec.origin.client),
        );
      } else {
        const remote = { url: spec.url!, headers: spec.headers ?? {} };
        addEdit(edits, spec.origin.file, at, (t, p) =>
          editorFor(spec.origin.file).wrapRemote(t, p, target, remote, spec.origin.client),
        );
      }
      notes.push(`wrapped ${server.name} in ${spec.origin.file}`);
    }
  }
  if (edits.size > 0 && !found) {
    notes.push(
      `${[launcher.command, ...launcher.args].join(' ')} cannot be found from ${discovery.cwd}: clients will fail to start the wrapped servers. Install mcp-lock (npm install --save-dev mcp-lock), or pass --launcher`,
    );
  }
  await rewriteFiles(edits, paths);
  if (edits.size === 0) notes.push('nothing to wrap');
  return buildReport(
    'wrap',
    { lockfile: store.display, failOn: 'low', rule: 'none' },
    { lockfileWritten: false, servers: [], findings: [], notes },
  );
}

/** `unwrap`: every wrapped entry in the configs in scope launches its server directly again, as it did before. */
export async function unwrap(options: ScopeOptions): Promise<Report> {
  const workspace = openWorkspace(options);
  const { store, discovery } = workspace;
  const { servers, notes, paths } = await readConfiguredServers(
    { configs: options.configs ?? [], user: options.user ?? false },
    discovery,
  );
  const edits: Edits = new Map();
  for (const server of selectServers(servers, options.servers ?? [], null, store.display)) {
    for (const spec of server.specs) {
      if (!spec.wrapped) continue;
      addEdit(edits, spec.origin.file, entryPath(spec, discovery.cwd), (t, p) =>
        editorFor(spec.origin.file).unwrap(t, p, spec.origin.client),
      );
      notes.push(`unwrapped ${server.name} in ${spec.origin.file}`);
    }
  }
  await rewriteFiles(edits, paths);
  if (edits.size === 0) notes.push('nothing to unwrap');
  return buildReport(
    'unwrap',
    { lockfile: store.display, failOn: 'low', rule: 'none' },
    { lockfileWritten: false, servers: [], findings: [], notes },
  );
}

export const wrapCommand = defineCommand({
  name: 'wrap',
  summary:
    'make each locked stdio server in the client configs launch through `mcp-lock run` (comments kept)',
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: [...SCOPE_PARAMS, ...REPORT_PARAMS, 'launcher', 'runSandbox'],
  run: ({ args, params, io }) =>
    wrap({
      ...scopeOf(params, names(args[0]), io),
      ...(params.launcher !== undefined ? { launcher: params.launcher } : {}),
      sandbox: params.runSandbox,
    }),
});

export const unwrapCommand = defineCommand({
  name: 'unwrap',
  summary: 'make wrapped servers launch directly again, restoring each config byte for byte',
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: [...SCOPE_PARAMS, ...REPORT_PARAMS],
  run: ({ args, params, io }) => unwrap(scopeOf(params, names(args[0]), io)),
});
