import { finding, type Finding } from '../findings.js';
import { scripts, skeleton } from './skeleton.js';
import type { ServerView } from './types.js';

/**
 * The form under which a model or a person would read two names as one: look-alike letters mapped to their
 * prototype (UTS #39), case ignored, separators and camel-case humps dropped (`read_file`, `read-file`, `readFile`).
 */
export function foldName(name: string): string {
  return skeleton(name).toLowerCase().replace(/[\s_.\-/:]+/g, '');
}

/** Mixing scripts Latin with Cyrillic or Greek inside one name is how look-alike names are built. */
function mixedScripts(name: string): string[] | undefined {
  const found = scripts(name);
  const deceptive = found.filter((s) => ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Cherokee'].includes(s));
  return deceptive.length > 1 ? found : undefined;
}

/** tool-name-confusable: distinct tool names, within a server or across servers, that fold to the same form. */
export function confusableNames(servers: readonly ServerView[]): Finding[] {
  const out: Finding[] = [];
  const byForm = new Map<string, { server: string; tool: string }[]>();
  for (const { name: server, entry } of servers) {
    for (const [key, item] of Object.entries(entry.tools)) {
      const tool = typeof item.definition.name === 'string' ? item.definition.name : key;
      const mixed = mixedScripts(tool);
      if (mixed) {
        out.push(finding('tool-name-confusable', { server, tool: key, field: 'name', message: `tool ${tool}: the name mixes ${mixed.join(' and ')} letters` }));
      }
      const form = foldName(tool);
      byForm.set(form, [...(byForm.get(form) ?? []), { server, tool }]);
    }
  }
  for (const group of byForm.values()) {
    const distinct = [...new Set(group.map((g) => g.tool))];
    if (distinct.length < 2) continue;
    for (const { server, tool } of group) {
      const others = group.filter((g) => g.tool !== tool).map((g) => (g.server === server ? g.tool : `${g.tool} (${g.server})`));
      out.push(
        finding('tool-name-confusable', {
          server,
          tool,
          field: 'name',
          message: `tool ${tool} can be taken for ${[...new Set(others)].join(', ')}`,
        }),
      );
    }
  }
  return out;
}
