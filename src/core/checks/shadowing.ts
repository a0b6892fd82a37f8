import { clientGroups, NAMESPACING_CLIENTS } from '../clients.js';
import { finding, type Finding } from '../findings.js';
import type { ServerView } from './types.js';

/** `mcp__server__tool`: the name Claude Code gives a server's tool; a tool named so impersonates that tool. */
const PREFIXED = /^mcp__(.+?)__(.+)$/;

/**
 * tool-shadowing: a tool name offered by two servers that one client loads together (per client, across the config
 * files and scopes it merges), or a tool named after another server's tool in its client-prefixed form.
 */
export function shadowing(servers: readonly ServerView[]): Finding[] {
  const byName = new Map(servers.map((s) => [s.name, s]));
  const groups = clientGroups(
    servers.map((s) => ({ name: s.name, files: s.entry.source.configs.map((c) => c.file) })),
  );
  const seen = new Set<string>();
  const out: Finding[] = [];
  const report = (server: string, tool: string, message: string, severity?: Finding['severity']) => {
    const key = `${server}\u0000${tool}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const f = finding('tool-shadowing', { server, tool, field: 'name', message });
    out.push(severity ? { ...f, severity } : f);
  };
  for (const [client, { client: kind, members }] of groups) {
    const offers = new Map<string, string[]>();
    for (const member of members) {
      for (const item of Object.values(byName.get(member)!.entry.tools)) {
        const tool = String(item.definition.name);
        const owners = offers.get(tool);
        if (owners) owners.push(member);
        else offers.set(tool, [member]);
        const prefixed = PREFIXED.exec(tool);
        const target =
          prefixed && members.includes(prefixed[1]!) && prefixed[1] !== member
            ? byName.get(prefixed[1]!)
            : undefined;
        if (target && Object.values(target.entry.tools).some((t) => t.definition.name === prefixed![2])) {
          report(
            member,
            tool,
            `tool ${tool} impersonates ${prefixed![2]} of server ${prefixed![1]} (both loaded by ${client})`,
          );
        }
      }
    }
    // A client that names each server's tools apart shows the model two names: a lint, not a collision.
    const namespaced = NAMESPACING_CLIENTS.has(kind);
    for (const [tool, owners] of offers) {
      if (owners.length < 2) continue;
      const distinct = [...new Set(owners)];
      if (distinct.length < 2) continue;
      for (const owner of distinct) {
        report(
          owner,
          tool,
          `tool ${tool} is also offered by ${distinct.filter((o) => o !== owner).join(', ')} (loaded together by ${client}${namespaced ? ", which names each server's tools apart" : ''})`,
          namespaced ? 'info' : undefined,
        );
      }
    }
  }
  return out;
}
