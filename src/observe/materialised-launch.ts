import { displayPath } from '../config/discover.js';
import { npxInvocation } from '../core/package/launch-line.js';
import type { ServerSpec } from '../core/server-spec.js';
import type { PackageOutcome } from '../registry/index.js';
import { materialiseTree, treeBin, treeCacheRoot } from '../registry/materialise.js';
import type { Workspace } from '../workspace.js';

/**
 * `--materialise`: the server's locked npm tree installed with `npm ci --ignore-scripts` and its bin launched
 * directly, so the snapshot is of exactly the pinned code rather than whatever npx resolves today. A launch line
 * that is not a plain npx call is launched as configured, and says so.
 */
export async function launchFromTree(
  workspace: Workspace,
  spec: ServerSpec,
  pkg: PackageOutcome,
): Promise<{ spec: ServerSpec; note?: string }> {
  if (!pkg.ok || pkg.pkg?.type !== 'npm' || !pkg.tree || !pkg.pkg.version || spec.command === undefined) {
    return { spec };
  }
  const invocation = npxInvocation(spec.command, spec.args ?? []);
  if (!invocation) {
    return {
      spec,
      note: `${spec.name}: launched as configured: its npm launch line is not a plain npx call`,
    };
  }
  const { env, discovery } = workspace;
  const dir = await materialiseTree({
    root: treeCacheRoot(env, discovery.home),
    lockText: pkg.tree,
    name: pkg.pkg.name,
    version: pkg.pkg.version,
    projectDir: discovery.cwd,
    env,
  });
  const bin = await treeBin(dir, pkg.pkg.name, invocation.bin);
  return {
    spec: { ...spec, command: bin, args: invocation.args },
    note: `${spec.name}: launched from its locked dependency tree (${displayPath(dir, discovery)})`,
  };
}
