import { applyArgEdits, entryPath, type ArgEdit } from '../config/arg-edits.js';
import { readConfiguredServers, selectServers } from '../config/scope.js';
import { pinnedArgs, pinnedSpec } from '../core/package/pinned.js';
import { lockSource } from '../core/lockfile/source.js';
import { buildReport, locationsOf } from '../report/build.js';
import type { Report, ServerReport } from '../report/model.js';
import type { SigningConfig } from '../signing/lockfile-signature.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { openWorkspace, type Workspace } from '../workspace.js';
import { defineCommand, names } from './definition.js';
import { scopeOf, type ScopeOptions } from './options.js';
import { REPORT_PARAMS, SCOPE_PARAMS, SIGNING_PARAMS } from './params.js';
import { signingConfig } from './trust.js';
import { own, setOwn } from '../core/proto-keys.js';
import { MAX_CONFIG_BYTES } from '../config/read.js';
import { readBoundedText } from '../store/bounded-read.js';

export interface PinOptions extends ScopeOptions {
  signing?: SigningConfig;
}

/**
 * `pin`: rewrites each config so its launch line names the exact version in the lockfile (`pkg@1.2.3`), preserving
 * the file's formatting and comments, and records the pinned launch line in the lockfile so verify stays clean.
 */
export async function pin(options: PinOptions): Promise<Report> {
  const workspace = openWorkspace(options);
  return workspace.exclusive(() => pinHolding(options, workspace));
}

async function pinHolding(options: PinOptions, workspace: Workspace): Promise<Report> {
  const { store } = workspace;
  const lock = await store.require();
  const { servers, notes, paths } = await readConfiguredServers(
    { configs: options.configs ?? [], user: options.user ?? false },
    workspace.discovery,
  );
  const selected = selectServers(servers, options.servers ?? [], lock, store.display);
  const edits = new Map<string, ArgEdit[]>();
  const next = { ...lock.servers };
  const reports: ServerReport[] = [];
  for (const server of selected) {
    const entry = own(lock.servers, server.name);
    const pkg = entry?.package;
    const pinned = pkg && !pkg.pinned ? pinnedSpec(pkg) : undefined;
    if (entry) {
      reports.push({
        name: server.name,
        state: pinned ? 'pinned' : 'unchanged',
        source: lockSource(server.specs),
        locations: locationsOf(server),
      });
    }
    if (!entry || !pkg || !pinned) continue;
    const specs = server.specs.map((spec) => {
      const args = pinnedArgs(spec.args ?? [], pkg);
      args.forEach((arg, index) => {
        if (arg === spec.args?.[index]) return;
        const file = edits.get(spec.origin.file) ?? [];
        file.push({
          path: entryPath(spec, workspace.discovery.cwd),
          index,
          value: arg,
          client: spec.origin.client,
        });
        edits.set(spec.origin.file, file);
      });
      return { ...spec, args };
    });
    setOwn(next, server.name, {
      ...entry,
      source: lockSource(specs),
      package: { ...pkg, spec: pinned, pinned: true },
    });
    notes.push(`pinned ${server.name}: ${pkg.spec} → ${pinned}`);
  }
  const context = { lockfile: store.display, failOn: 'low' as const, rule: 'none' as const };
  if (edits.size === 0) {
    return buildReport('pin', context, {
      lockfileWritten: false,
      servers: reports,
      findings: [],
      notes: ['nothing to pin: every launch line names an exact version or digest'],
    });
  }
  for (const [display, fileEdits] of edits) {
    const path = paths.get(display)!;
    await writeFileAtomic(
      path,
      applyArgEdits(await readBoundedText(path, MAX_CONFIG_BYTES), fileEdits, display),
      {
        display,
        code: 'config-write',
      },
    );
  }
  const signed = await store.save({ ...lock, servers: next }, options.signing);
  if (signed) notes.push(signed);
  return buildReport('pin', context, { lockfileWritten: true, servers: reports, findings: [], notes });
}

export const pinCommand = defineCommand({
  name: 'pin',
  summary: 'rewrite configs to the exact versions in the lockfile (pkg@1.2.3), keeping their comments',
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: [...SCOPE_PARAMS, ...REPORT_PARAMS, ...SIGNING_PARAMS],
  run: ({ args, params, io }) => {
    const signing = signingConfig(params, io.env);
    return pin({ ...scopeOf(params, names(args[0]), io), ...(signing ? { signing } : {}) });
  },
});
