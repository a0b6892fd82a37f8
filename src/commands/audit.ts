import { applyDecisions } from '../core/decisions.js';
import { finding } from '../core/findings.js';
import type { FailOn } from '../core/policy.js';
import { own } from '../core/proto-keys.js';
import { Registries } from '../observe/registries.js';
import { advisoriesFor, auditable } from '../observe/advisories.js';
import { buildReport } from '../report/build.js';
import type { Report, ServerReport } from '../report/model.js';
import { McpLockError } from '../errors.js';
import { openWorkspace } from '../workspace.js';
import { defineCommand, names } from './definition.js';
import type { ScopeOptions } from './options.js';
import { REPORT_PARAMS } from './params.js';

export interface AuditOptions extends Pick<ScopeOptions, 'cwd' | 'lockfile' | 'env' | 'home' | 'onWait'> {
  servers?: string[];
  failOn: FailOn;
  /** `YYYY-MM-DD`, for the lockfile's decisions (an advisory reviewed and accepted until a date). */
  today: string;
}

/** `audit`: advisories for every package each locked server runs, from the registries alone; launches nothing. */
export async function audit(options: AuditOptions): Promise<Report> {
  const workspace = openWorkspace(options);
  const { store } = workspace;
  const lock = await store.require();
  const wanted = options.servers ?? [];
  for (const name of wanted) {
    if (!own(lock.servers, name))
      throw new McpLockError('usage', `${name} is not in ${store.display}`, {
        hint: `run \`mcp-lock ls\` to see the locked servers`,
      });
  }
  const selected = wanted.length > 0 ? wanted : Object.keys(lock.servers).sort();
  const checked = selected.filter((name) => auditable(lock, name));
  const result = await advisoriesFor(lock, checked, new Registries(workspace), workspace.env);
  // Not checked is never reported as no advisories: each server whose registry could not answer says so.
  const findings = [
    ...result.findings,
    ...result.unchecked.map(({ server, reason }) =>
      finding('package-advisories-unchecked', {
        server,
        field: 'package',
        message: `advisories not checked: ${reason}`,
      }),
    ),
  ];
  const notes = [
    `${result.audited} package(s) of ${checked.length} locked npm or PyPI server(s) asked about`,
    ...selected
      .filter((name) => !checked.includes(name))
      .map((name) => `${name}: not an npm or PyPI package; its advisories are not checked here`),
  ];
  const applied = applyDecisions(findings, lock.decisions ?? [], options.today);
  notes.push(...applied.notes);
  const reports: ServerReport[] = selected.map((name) => ({
    name,
    state: findings.some((f) => f.server === name && f.code === 'package-vulnerable')
      ? 'changed'
      : 'unchanged',
    source: lock.servers[name]!.source,
  }));
  return buildReport(
    'audit',
    { lockfile: store.display, failOn: options.failOn, rule: 'gate' },
    { lockfileWritten: false, servers: reports, findings: applied.findings, notes },
  );
}

export const auditCommand = defineCommand({
  name: 'audit',
  summary: "published advisories for every package in each locked server's dependency tree (registries only)",
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: [...REPORT_PARAMS, 'lockfile', 'failOn'],
  run: ({ args, params, io }) =>
    audit({
      cwd: io.cwd,
      env: io.env,
      lockfile: params.lockfile,
      servers: names(args[0]),
      failOn: params.failOn,
      today: io.today,
    }),
});
