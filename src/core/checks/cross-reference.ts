import { finding, type Finding } from '../findings.js';
import { serverTexts, subjectOf, where, type Text } from './texts.js';
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(name)}(?![A-Za-z0-9])`).test(text);
}

function inspect(view: ServerView, t: Text, others: Map<string, string>, serverNames: string[]): Finding[] {
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
  const named = [...others].filter(([tool]) => mentions(t.text, tool));
  if (named.length > 0) {
    report(
      `names tools of other servers: ${named
        .slice(0, 5)
        .map(([tool, server]) => `${tool} (${server})`)
        .join(', ')}`,
    );
  }
  const prefixed = serverNames.filter(
    (s) => s !== view.name && new RegExp(`\\bmcp_+${escapeRegExp(s)}\\b`, 'i').test(t.text),
  );
  if (prefixed.length > 0)
    report(`refers to other servers by their client prefix: ${prefixed.map((s) => `mcp__${s}`).join(', ')}`);
  return out;
}

/** Only texts written for the model: not schema types, enum values or URIs, where tool names appear legitimately. */
function prose(t: Text): boolean {
  return (
    t.field === 'instructions' ||
    /(?:^|\.)(?:description|title)$/.test(t.field) ||
    /\.(?:description|title)$/.test(t.field)
  );
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
    return serverTexts(view.entry)
      .filter(prose)
      .flatMap((t) => inspect(view, t, others, names));
  });
}
