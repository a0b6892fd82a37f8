import { finding, type Finding } from '../findings.js';
import { isProse, serverTexts, subjectOf, where, type Text } from './texts.js';
import type { ServerView } from './types.js';

/**
 * Phrases by which a text steers the model beyond its own tool: ordering other tools, replacing them, or hiding
 * what it does from the user. Each one is the shape of a published attack, not a keyword list.
 */
const DIRECTIVES: [RegExp, string][] = [
  [
    /\b(?:before|after|instead of|rather than|prior to)\s+(?:using|calling|invoking|running|executing|any)\b[^.\n]{0,30}\b(?:any|all|every|the)\s+other\s+tools?\b/i,
    'orders the use of other tools',
  ],
  [
    /\b(?:do\s+not|don't|dont|never|without)\s+(?:explicitly\s+)?(?:tell|telling|inform|informing|notify|notifying|alert|alerting)\b[^.\n]{0,60}\b(?:user|human|them)\b/i,
    'asks the model to keep something from the user',
  ],
  [
    /\b(?:do\s+not|don't|dont|never)\s+(?:explicitly\s+)?(?:mention|reveal|disclose)\b/i,
    'asks the model not to mention or reveal something',
  ],
  [
    /\bignore\s+(?:all\s+)?(?:previous|prior|above|earlier|other)\s+(?:instructions|prompts|rules)\b/i,
    'tells the model to ignore its instructions',
  ],
  [
    /\b(?:when|whenever|if)\b[^.\n]{0,40}\b(?:is|are)\s+(?:available|present|invoked|called|used)\b[^.\n]{0,80}\b(?:must|should|always)\b/i,
    'changes how other tools behave',
  ],
];

/** The directives a text contains, by kind. */
export function directiveKinds(text: string): string[] {
  return DIRECTIVES.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
}

/** A tool name distinctive enough that its appearance in text is a reference, not an ordinary word. */
function distinctive(name: string): boolean {
  return name.length >= 5 && (/[_-]/.test(name) || /[a-z][A-Z]/.test(name));
}

/** Tool names are at most 128 characters (SEP-986); nothing longer can be one. */
const MAX_NAME_LENGTH = 128;

function separators(name: string): number {
  let n = 0;
  for (const ch of name) if (ch === '_' || ch === '.' || ch === '-') n++;
  return n;
}

/**
 * Every name a text could be mentioning: each word, and each run of its parts between separators, so `send_email` is
 * found inside `mcp_tool_send_email`. A run spans at most `maxSeparators` separators and 128 characters — no name
 * looked for is longer — so the work is linear in the text, however long one identifier is (`a_a_a_…` of 8 KB).
 */
function mentionable(text: string, maxSeparators: number): Set<string> {
  const out = new Set<string>();
  for (const [token] of text.matchAll(/[A-Za-z0-9_.-]+/g)) {
    const cuts: number[] = [];
    for (let i = 0; i < token.length; i++) if ('_.-'.includes(token[i]!)) cuts.push(i);
    const starts = [0, ...cuts.map((c) => c + 1)];
    const ends = [...cuts, token.length];
    // A run from starts[a] ends at ends[b] for b >= a: it then holds b - a separators.
    for (let a = 0; a < starts.length; a++) {
      for (let b = a; b < ends.length && b - a <= maxSeparators; b++) {
        const start = starts[a]!;
        const end = ends[b]!;
        if (end - start > MAX_NAME_LENGTH) break;
        if (end > start) out.add(token.slice(start, end));
      }
    }
  }
  return out;
}

function inspect(
  view: ServerView,
  t: Text,
  others: Map<string, string>,
  serverNames: string[],
  maxSeparators: number,
): Finding[] {
  const out: Finding[] = [];
  const report = (message: string) =>
    out.push(
      finding('tool-cross-reference', {
        server: view.name,
        ...subjectOf(t),
        message: `${where(t)}: ${message}`,
      }),
    );
  for (const [pattern, what] of DIRECTIVES) {
    const match = pattern.exec(t.text);
    if (match) report(`${what} ("${match[0].replace(/\s+/g, ' ').slice(0, 100)}")`);
  }
  const words = mentionable(t.text, maxSeparators);
  const named = [...words].filter((w) => others.has(w)).map((tool) => [tool, others.get(tool)!] as const);
  if (named.length > 0) {
    report(
      `names tools of other servers: ${named
        .slice(0, 5)
        .map(([tool, server]) => `${tool} (${server})`)
        .join(', ')}`,
    );
  }
  const byPrefix = new Set(
    [...words].filter((w) => /^mcp_+/i.test(w)).map((w) => w.replace(/^mcp_+/i, '').toLowerCase()),
  );
  const prefixed = serverNames.filter((s) => s !== view.name && byPrefix.has(s.toLowerCase()));
  if (prefixed.length > 0)
    report(`refers to other servers by their client prefix: ${prefixed.map((s) => `mcp__${s}`).join(', ')}`);
  return out;
}

/**
 * tool-cross-reference: a description, parameter description, prompt or instructions that names another server's
 * tools or the server itself, or directs the model's use of other tools.
 */
export function crossReference(servers: readonly ServerView[]): Finding[] {
  const names = servers.map((s) => s.name);
  return servers.flatMap((view) => {
    const own = new Set(Object.values(view.entry.tools).map((t) => String(t.definition.name)));
    const others = new Map<string, string>();
    for (const other of servers) {
      if (other.name === view.name) continue;
      for (const tool of Object.values(other.entry.tools)) {
        const name = String(tool.definition.name);
        if (distinctive(name) && !own.has(name)) others.set(name, other.name);
      }
    }
    // `mcp__<server>` prefixes count two separators more than the server name has.
    const maxSeparators = Math.max(0, ...[...others.keys(), ...names].map(separators)) + 2;
    return serverTexts(view.entry)
      .filter(isProse)
      .flatMap((t) => inspect(view, t, others, names, maxSeparators));
  });
}
