import { finding, type Finding } from '../findings.js';
import { INVISIBLE } from './readings.js';
import { scripts, skeleton } from './skeleton.js';
import type { ServerView } from './types.js';

/**
 * The forms under which a model or a person would read two names as one: look-alike letters mapped to their
 * prototype (UTS #39), case ignored, separators and camel-case humps dropped (`read_file`, `read-file`, `readFile`).
 * Two forms, since folding case first hides `I`-for-`l` and folding it last splits `READ_FILE` from `read_file`.
 */
const ASCII_NAME = /^[\x20-\x7e]*$/;
const BETWEEN_ASCII_LETTERS = /(?<=[A-Za-z])[\s_.\-/:]+(?=[A-Za-z])/g;
const BETWEEN_LETTERS = /(?<=\p{L})[\s_.\-/:]+(?=\p{L})/gu;

export function foldForms(written: string): [string, string] {
  // Spaces around a name and invisible characters in it are not seen by a reader (`read_file ` is `read_file`).
  // An ASCII name (most) has no invisible character to take out.
  const name = (ASCII_NAME.test(written) ? written : written.replace(INVISIBLE, '')).trim();
  // Separators between letters vanish (`read_file` = `readFile`); next to digits they stay (`tool_1_10` ≠ `tool_11_0`).
  const strip = (text: string) =>
    text
      .replace(ASCII_NAME.test(text) ? BETWEEN_ASCII_LETTERS : BETWEEN_LETTERS, '')
      .replace(/[\s_.\-/:]+/g, '_');
  // Separators are judged on the name as written, before digits are mapped to the letters they resemble.
  const lower = name.toLowerCase();
  const folded = skeleton(strip(lower)).toLowerCase();
  // A name without capitals has one form (most names: `read_file`).
  return [folded, lower === name ? folded : skeleton(strip(name)).toLowerCase()];
}

/** What a name has that a reader does not see: spaces around it, invisible characters in it. */
function unseen(name: string): string | undefined {
  if (name !== name.trim()) return 'leading or trailing whitespace';
  if (!ASCII_NAME.test(name) && name.replace(INVISIBLE, '') !== name) return 'invisible characters';
  return undefined;
}

/** Mixing scripts Latin with Cyrillic or Greek inside one name is how look-alike names are built. */
function mixedScripts(name: string): string[] | undefined {
  const found = scripts(name);
  const deceptive = found.filter((s) => ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Cherokee'].includes(s));
  return deceptive.length > 1 ? found : undefined;
}

/** How many of the other names a finding lists; the rest are counted. */
const LISTED = 10;

/**
 * tool-name-confusable: distinct tool names, within a server or across servers, that fold to the same form. Names are
 * grouped (linked through either form), and each server gets one finding per group: 5,000 names that fold to one form
 * are one finding, not 5,000 findings listing 4,999 others each.
 */
export function confusableNames(servers: readonly ServerView[]): Finding[] {
  const out: Finding[] = [];
  const entries: { server: string; key: string; tool: string }[] = [];
  const parent: number[] = [];
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  // The first name of each form, per kind of form (`foldForms`).
  const firstOfForm = [new Map<string, number>(), new Map<string, number>()] as const;
  for (const { name: server, entry } of servers) {
    for (const [key, item] of Object.entries(entry.tools)) {
      const tool = typeof item.definition.name === 'string' ? item.definition.name : key;
      const hidden = unseen(tool);
      if (hidden) {
        out.push(
          finding('tool-name-confusable', {
            server,
            tool: key,
            field: 'name',
            message: `tool ${JSON.stringify(tool)}: the name has ${hidden}, which a reader does not see`,
          }),
        );
      }
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
      const index = entries.length;
      entries.push({ server, key, tool });
      parent.push(index);
      foldForms(tool).forEach((form, kind) => {
        const first = firstOfForm[kind]!.get(form);
        if (first === undefined) firstOfForm[kind]!.set(form, index);
        else parent[find(index)] = find(first);
      });
    }
  }
  const groups = new Map<number, number[]>();
  entries.forEach((_, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  });
  for (const members of groups.values()) {
    // Most names look like no other: a group of one needs no set of its names.
    if (members.length < 2) continue;
    const names = new Set(members.map((i) => entries[i]!.tool));
    if (names.size < 2) continue;
    const byServer = new Map<string, number[]>();
    for (const i of members) {
      const own = byServer.get(entries[i]!.server);
      if (own) own.push(i);
      else byServer.set(entries[i]!.server, [i]);
    }
    for (const [server, own] of byServer) {
      const first = entries[own[0]!]!;
      const others = members
        .map((i) => entries[i]!)
        .filter((e) => e.tool !== first.tool)
        .map((e) => (e.server === server ? e.tool : `${e.tool} (${e.server})`));
      const unique = [...new Set(others)];
      const listed = unique.slice(0, LISTED).join(', ');
      const more = unique.length > LISTED ? ` and ${unique.length - LISTED} more` : '';
      out.push(
        finding('tool-name-confusable', {
          server,
          tool: first.key,
          field: 'name',
          message: `tool ${first.tool} can be taken for ${listed}${more}`,
        }),
      );
    }
  }
  return out;
}

/**
 * server-name-confusable: configured server names that a person would read as one (`gіthub` with a Cyrillic `і`
 * beside `github`), or one name alone that mixes scripts or hides characters. The config key is what a reviewer
 * recognises a server by, and `mcp__<server>__<tool>` is what the model sees in some clients.
 */
export function confusableServerNames(servers: readonly ServerView[]): Finding[] {
  const out: Finding[] = [];
  const byForm = new Map<string, string[]>();
  for (const { name } of servers) {
    // A name defined differently in two files is locked as `name@file`: the name is the part before.
    const configured = name.replace(/@[^@]*$/, '') || name;
    const problem =
      unseen(configured) ??
      (mixedScripts(configured) ? `letters of ${mixedScripts(configured)!.join(' and ')} mixed` : undefined);
    if (problem)
      out.push(
        finding('server-name-confusable', {
          server: name,
          message: `server name ${JSON.stringify(configured)} has ${problem}`,
        }),
      );
    for (const form of new Set(foldForms(configured))) {
      const names = byForm.get(form) ?? [];
      if (!names.includes(configured)) names.push(configured);
      byForm.set(form, names);
    }
  }
  const reported = new Set<string>();
  for (const names of byForm.values()) {
    if (names.length < 2) continue;
    for (const { name } of servers) {
      const configured = name.replace(/@[^@]*$/, '') || name;
      if (!names.includes(configured) || reported.has(name)) continue;
      reported.add(name);
      out.push(
        finding('server-name-confusable', {
          server: name,
          message: `server name ${JSON.stringify(configured)} can be taken for ${names
            .filter((n) => n !== configured)
            .slice(0, LISTED)
            .map((n) => JSON.stringify(n))
            .join(', ')}`,
        }),
      );
    }
  }
  return out;
}
