import { finding, type Finding } from '../findings.js';
import { scripts, skeleton } from './skeleton.js';
import type { ServerView } from './types.js';

/**
 * The forms under which a model or a person would read two names as one: look-alike letters mapped to their
 * prototype (UTS #39), case ignored, separators and camel-case humps dropped (`read_file`, `read-file`, `readFile`).
 * Two forms, since folding case first hides `I`-for-`l` and folding it last splits `READ_FILE` from `read_file`.
 */
export function foldForms(name: string): [string, string] {
  // Separators between letters vanish (`read_file` = `readFile`); next to digits they stay (`tool_1_10` ≠ `tool_11_0`).
  const strip = (text: string) =>
    text.replace(/(?<=\p{L})[\s_.\-/:]+(?=\p{L})/gu, '').replace(/[\s_.\-/:]+/g, '_');
  // Separators are judged on the name as written, before digits are mapped to the letters they resemble.
  return [skeleton(strip(name.toLowerCase())).toLowerCase(), skeleton(strip(name)).toLowerCase()];
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
  const entries: { server: string; tool: string; forms: [string, string] }[] = [];
  const byForm = new Map<string, number[]>();
  for (const { name: server, entry } of servers) {
    for (const [key, item] of Object.entries(entry.tools)) {
      const tool = typeof item.definition.name === 'string' ? item.definition.name : key;
      const mixed = mixedScripts(tool);
      if (mixed) {
        out.push(
          finding('tool-name-confusable', {
            server,
            tool: key,
            field: 'name',
            message: `tool ${tool}: the name mixes ${mixed.join(' and ')} letters`,
          }),
        );
      }
      const forms = foldForms(tool);
      forms.forEach((form, kind) => {
        const slot = `${kind}:${form}`;
        byForm.set(slot, [...(byForm.get(slot) ?? []), entries.length]);
      });
      entries.push({ server, tool, forms });
    }
  }
  entries.forEach(({ server, tool, forms }) => {
    const twins = new Set(forms.flatMap((form, kind) => byForm.get(`${kind}:${form}`) ?? []));
    const others = [...twins]
      .map((i) => entries[i]!)
      .filter((e) => e.tool !== tool)
      .map((e) => (e.server === server ? e.tool : `${e.tool} (${e.server})`));
    if (others.length === 0) return;
    out.push(
      finding('tool-name-confusable', {
        server,
        tool,
        field: 'name',
        message: `tool ${tool} can be taken for ${[...new Set(others)].join(', ')}`,
      }),
    );
  });
  return out;
}
