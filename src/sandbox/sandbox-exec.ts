import { join } from 'node:path';
import { HIDDEN_IN_HOME, HIDDEN_IN_PROJECT, resolveGrant, type SandboxPlan } from './plan.js';

/** A string in the profile language (a Scheme dialect): quoted, backslashes and quotes escaped. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A macOS Seatbelt profile with the same rules as the Linux sandbox, for `sandbox-exec -p`: everything allowed but
 * network (unless granted), writes outside the private home and the granted paths, and reads of the hidden
 * credentials. UNTESTED: this machine and CI are Linux; it is used only when asked for (`--require-sandbox` on macOS).
 */
export function seatbeltProfile(plan: SandboxPlan): string {
  const hidden = [
    ...HIDDEN_IN_HOME.map((rel) => join(plan.home, rel)),
    ...HIDDEN_IN_PROJECT.map((rel) => join(plan.project, rel)),
  ];
  const read = (plan.permissions?.read ?? []).map((p) => resolveGrant(p, plan));
  const write = (plan.permissions?.write ?? []).map((p) => resolveGrant(p, plan));
  const lines = ['(version 1)', '(allow default)'];
  if (!plan.permissions?.network) lines.push('(deny network-outbound)', '(deny network-inbound)');
  lines.push('(deny file-write*)');
  lines.push(
    `(allow file-write* (subpath ${quote(plan.privateHome)}) (literal "/dev/null") (literal "/dev/tty"))`,
  );
  for (const path of write) lines.push(`(allow file-write* (subpath ${quote(path)}))`);
  for (const path of hidden) {
    if (read.some((r) => r === path || path.startsWith(`${r}/`))) continue;
    lines.push(`(deny file-read* (subpath ${quote(path)}))`);
  }
  return lines.join('\n');
}
