import { readFile } from 'node:fs/promises';
import { applyArgEdits, entryPath, type ArgEdit } from '../config/pin.js';
import { EXIT } from '../core/policy.js';
import { lockSource } from '../core/lockfile/source.js';
import type { LockPackage } from '../core/lockfile/schema.js';
import { writeAtomic } from '../lockfile-io.js';
import type { Report } from '../report/model.js';
import {
  configured,
  context,
  report,
  requireLock,
  select,
  type RunOptions,
  saveLockfile,
} from './context.js';

/** The exact form of a locked package, as its launcher writes it: `pkg@1.2.3`, `pkg==1.2.3`, `image@sha256:…`. */
function pinnedSpec(pkg: LockPackage): string | undefined {
  if (pkg.type === 'npm' && pkg.version) return `${pkg.name}@${pkg.version}`;
  if (pkg.type === 'pypi' && pkg.version) return `${pkg.name}==${pkg.version}`;
  if (pkg.type === 'oci' && pkg.integrity?.startsWith('sha256:')) return `${pkg.name}@${pkg.integrity}`;
  return undefined;
}

/**
 * `pin`: rewrites each config so its launch line names the exact version in the lockfile (`pkg@1.2.3`), preserving
 * the file's formatting and comments, and records the pinned launch line in the lockfile so verify stays clean.
 */
export async function pinConfigs(options: RunOptions): Promise<Report> {
  const ctx = context(options);
  const lock = await requireLock(ctx);
  const { servers, notes, paths } = await configured(ctx);
  const selected = select(servers, lock, ctx);
  const edits = new Map<string, ArgEdit[]>();
  const next = { ...lock.servers };
  for (const server of selected) {
    const entry = lock.servers[server.name];
    const pkg = entry?.package;
    if (!entry || !pkg || pkg.pinned) continue;
    const pinned = pinnedSpec(pkg);
    if (!pinned) continue;
    const specs = server.specs.map((spec) => {
      const args = (spec.args ?? []).map((arg) =>
        arg === pkg.spec ? pinned : arg.replace(`=${pkg.spec}`, `=${pinned}`),
      );
      args.forEach((arg, index) => {
        if (arg === spec.args?.[index]) return;
        const file = edits.get(spec.origin.file) ?? [];
        file.push({ path: entryPath(spec, ctx.discovery.cwd), index, value: arg });
        edits.set(spec.origin.file, file);
      });
      return { ...spec, args };
    });
    next[server.name] = {
      ...entry,
      source: lockSource(specs),
      package: { ...pkg, spec: pinned, pinned: true },
    };
    notes.push(`pinned ${server.name}: ${pkg.spec} → ${pinned}`);
  }
  if (edits.size === 0) {
    return report(
      'pin',
      ctx,
      {
        lockfileWritten: false,
        servers: [],
        findings: [],
        notes: ['nothing to pin: every launch line names an exact version or digest'],
      },
      EXIT.ok,
    );
  }
  for (const [display, fileEdits] of edits) {
    const path = paths.get(display)!;
    await writeAtomic(path, display, applyArgEdits(await readFile(path, 'utf8'), fileEdits));
  }
  const lockfile = { ...lock, servers: next };
  const signed = await saveLockfile(ctx, lockfile);
  if (signed) notes.push(signed);
  return report('pin', ctx, { lockfileWritten: true, servers: [], findings: [], notes }, EXIT.ok);
}
