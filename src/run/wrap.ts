import { readFile } from 'node:fs/promises';
import { entryPath } from '../config/pin.js';
import { unwrapEntryText, wrapEntryText, WrapError } from '../config/wrap.js';
import { EXIT } from '../core/policy.js';
import { McpLockError } from '../errors.js';
import { writeAtomic } from '../lockfile-io.js';
import type { Report } from '../report/model.js';
import { configured, context, report, requireLock, select, type RunOptions } from './context.js';

export interface WrapOptions extends RunOptions {
  /** The command clients start in place of each server: `mcp-lock` on PATH unless told otherwise. */
  launcher: string;
}

type Rewrite = (text: string, path: (string | number)[]) => string | null;

async function rewriteFiles(
  edits: Map<string, { path: (string | number)[]; rewrite: Rewrite }[]>,
  paths: Map<string, string>,
): Promise<void> {
  for (const [display, entries] of edits) {
    const file = paths.get(display)!;
    let text = await readFile(file, 'utf8');
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
    await writeAtomic(file, display, text);
  }
}

/**
 * `wrap`: every locked stdio server in the configs in scope launches through `mcp-lock run`, which lets through only
 * the definitions in the lockfile. Text is inserted, never re-serialised, so `unwrap` restores each file exactly.
 */
export async function wrap(options: WrapOptions): Promise<Report> {
  const ctx = context(options);
  const lock = await requireLock(ctx);
  const { servers, notes, paths } = await configured(ctx);
  const edits = new Map<string, { path: (string | number)[]; rewrite: Rewrite }[]>();
  for (const server of select(servers, lock, ctx)) {
    if (!lock.servers[server.name]) {
      notes.push(`${server.name}: not wrapped: it is not in ${ctx.lockDisplay} (run \`mcp-lock install\`)`);
      continue;
    }
    for (const spec of server.specs) {
      if (spec.wrapped) continue;
      if (spec.transport !== 'stdio') {
        notes.push(
          `${server.name}: not wrapped: ${spec.origin.file} connects over HTTP; mcp-lock run is a stdio proxy`,
        );
        continue;
      }
      const target = { server: server.name, lockfile: ctx.lockPath, launcher: options.launcher };
      const list = edits.get(spec.origin.file) ?? [];
      list.push({ path: entryPath(spec, ctx.discovery.cwd), rewrite: (t, p) => wrapEntryText(t, p, target) });
      edits.set(spec.origin.file, list);
      notes.push(`wrapped ${server.name} in ${spec.origin.file}`);
    }
  }
  await rewriteFiles(edits, paths);
  if (edits.size === 0) notes.push('nothing to wrap');
  return report('wrap', ctx, { lockfileWritten: false, servers: [], findings: [], notes }, EXIT.ok);
}

/** `unwrap`: every wrapped entry in the configs in scope launches its server directly again, as it did before. */
export async function unwrap(options: RunOptions): Promise<Report> {
  const ctx = context(options);
  const { servers, notes, paths } = await configured(ctx);
  const edits = new Map<string, { path: (string | number)[]; rewrite: Rewrite }[]>();
  for (const server of select(servers, null, ctx)) {
    for (const spec of server.specs) {
      if (!spec.wrapped) continue;
      const list = edits.get(spec.origin.file) ?? [];
      list.push({ path: entryPath(spec, ctx.discovery.cwd), rewrite: unwrapEntryText });
      edits.set(spec.origin.file, list);
      notes.push(`unwrapped ${server.name} in ${spec.origin.file}`);
    }
  }
  await rewriteFiles(edits, paths);
  if (edits.size === 0) notes.push('nothing to unwrap');
  return report('unwrap', ctx, { lockfileWritten: false, servers: [], findings: [], notes }, EXIT.ok);
}
