import { finding, type Finding } from '../findings.js';
import { identifierWords, isProse, instructionTexts, subjectOf, where, type Text } from './texts.js';
import type { ServerView } from './types.js';
import { findDirectives, FAMILY_MEANING } from './phrases/index.js';
import { readings } from './readings.js';

/** The directives a text contains, by what they do (for describing a change). */
export function directiveKinds(text: string): string[] {
  return findDirectives(text).map((d) => FAMILY_MEANING[d.family]);
}

/** A tool name distinctive enough that its appearance in text is a reference, not an ordinary word. */
function distinctive(name: string): boolean {
  return name.length >= 5 && (/[_-]/.test(name) || /[a-z][A-Z]/.test(name));
}

/** Tool names are at most 128 characters (SEP-986); nothing longer can be one. */
const MAX_NAME_LENGTH = 128;

/** The identifier-like words of a text and where each starts, a sentence's closing dot or dash left off. */
function* identifiers(text: string): Generator<{ word: string; index: number }> {
  for (const m of text.matchAll(/[A-Za-z0-9_.-]+/g))
    yield { word: m[0].replace(/[.-]+$/, ''), index: m.index };
}

/**
 * Every name a text could be mentioning: each identifier whole, and for a client-prefixed one (`mcp_tool_send_email`,
 * `mcp__mail__send_email`) the parts after its prefix. A name is never found inside a longer ordinary identifier:
 * Sentry's `get_issue_details` does not name GitHub's `get_issue`. Suffixes are at most 128 characters (no name looked
 * for is longer), so the work is linear in the text however long one identifier is.
 */
function mentionable(text: string): Set<string> {
  const out = new Set<string>();
  for (const { word: whole } of identifiers(text)) {
    out.add(whole);
    if (!/^mcp[_.-]|__/i.test(whole)) continue;
    for (let i = whole.length - 1; i > 0 && whole.length - i <= MAX_NAME_LENGTH; i--) {
      if ('_.-'.includes(whole[i - 1]!) && !'_.-'.includes(whole[i]!)) out.add(whole.slice(i));
    }
  }
  return out;
}

/** Words before a tool name that make a sentence about using it: "whenever you use", "before calling", "instead of". */
const USE_CUE =
  /\b(?:when(?:ever)?|before|after|instead\s+of|rather\s+than|prior\s+to|each\s+time|every\s+time|once)\s+(?:you\s+)?(?:use|using|call|calling|invoke|invoking|run|running|execute|executing)\s+(?:the\s+|a\s+|any\s+)?[`'"]?$/i;
/** A bare name after "before the" / "instead of" counts when the text calls it a tool or an operation. */
const OPERATION_CUE =
  /\b(?:when(?:ever)?|before|after|instead\s+of|rather\s+than|prior\s+to)\s+(?:the\s+|a\s+|any\s+|each\s+|every\s+)?[`'"]?$/i;
const OPERATION_NOUN = /^[`'"]?\s+(?:tool|operation|function|command|call|method)s?\b/i;

/** The words every USE_CUE and OPERATION_CUE starts with: a text without any of them steers nothing. */
const USE_WORD = /\b(?:when|whenever|before|after|instead|rather|prior|each|every|once)\b/i;
const THIS_TOOL = /\bthis\s+tool\b/i;

const DISPLACES =
  /\b(?:call|use|invoke|run)\s+this\s+tool\s+(?:instead\s+of|rather\s+than|in\s+place\s+of)\s+(?:the\s+)?[`'"]?([\w.-]*[_.-][\w.-]*|[a-z]+[A-Z][\w]*)/g;

/**
 * Tools of other servers whose use the text steers ("whenever you use fetch, first append…"): any name another
 * configured server really offers, short ordinary words included, when the sentence is about using it.
 */
function steered(text: string, names: ReadonlyMap<string, string>): [string, string][] {
  const out = new Map<string, string>();
  for (const { word, index } of identifiers(text)) {
    const server = names.get(word);
    if (server === undefined || out.has(word)) continue;
    const before = text.slice(Math.max(0, index - 60), index);
    const after = text.slice(index + word.length, index + word.length + 20);
    if (USE_CUE.test(before) || (OPERATION_CUE.test(before) && OPERATION_NOUN.test(after)))
      out.set(word, server);
  }
  return [...out];
}

/**
 * The directives in one text, as findings: in the text as written and as a model would read it decoded (look-alike
 * letters, full-width forms, leetspeak, rot13, base64, hex, HTML entities). One finding per kind of directive.
 */
function directives(view: ServerView, t: Text, text = t.text): Finding[] {
  const out: Finding[] = [];
  const found = new Set<string>();
  for (const reading of readings(text)) {
    for (const directive of findDirectives(reading.text)) {
      if (found.has(directive.family)) continue;
      found.add(directive.family);
      const quoted = `"${directive.match.replace(/\s+/g, ' ').slice(0, 100)}"`;
      const language = directive.language === 'en' ? '' : `, in ${directive.language}`;
      out.push(
        finding('tool-cross-reference', {
          server: view.name,
          ...subjectOf(t),
          message: `${where(t)}: ${FAMILY_MEANING[directive.family]} (${quoted}${reading.how ? `, ${reading.how}` : ''}${language})`,
        }),
      );
    }
  }
  return out;
}

const NO_WORDS: ReadonlySet<string> = new Set();

function inspect(
  view: ServerView,
  t: Text,
  distinct: ReadonlyMap<string, string>,
  all: ReadonlyMap<string, string>,
  serverNames: readonly string[],
  own: ReadonlySet<string>,
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
  out.push(...directives(view, t));
  // Names are looked for only where there are names to find: other servers' tools, or a client prefix in the text.
  const words =
    distinct.size > 0 || all.size > 0 || /mcp[_.-]/i.test(t.text) ? mentionable(t.text) : NO_WORDS;
  const named = [...words].filter((w) => distinct.has(w)).map((tool) => [tool, distinct.get(tool)!] as const);
  if (named.length > 0) {
    report(
      `names tools of other servers: ${named
        .slice(0, 5)
        .map(([tool, server]) => `${tool} (${server})`)
        .join(', ')}`,
    );
  }
  const steering =
    all.size > 0 && USE_WORD.test(t.text)
      ? steered(t.text, all).filter(([tool]) => !distinct.has(tool) || !words.has(tool))
      : [];
  // "Use this tool instead of web_search": a tool it displaces need not be configured here, only not its own.
  const displaced = THIS_TOOL.test(t.text)
    ? [...t.text.matchAll(DISPLACES)].map((m) => m[1]!).find((name) => !own.has(name))
    : undefined;
  if (displaced !== undefined) report(`tells the model to use it in place of ${displaced}`);
  if (steering.length > 0) {
    report(
      `steers the use of other servers' tools: ${steering
        .slice(0, 5)
        .map(([tool, server]) => `${tool} (${server})`)
        .join(', ')}`,
    );
  }
  if (words.size === 0) return out;
  const afterPrefix = [...words]
    .filter((w) => /^mcp_+/i.test(w))
    .map((w) => w.replace(/^mcp_+/i, '').toLowerCase());
  const prefixed = serverNames.filter((name) => {
    const s = name.toLowerCase();
    return name !== view.name && afterPrefix.some((rest) => rest === s || rest.startsWith(`${s}_`));
  });
  if (prefixed.length > 0)
    report(`refers to other servers by their client prefix: ${prefixed.map((s) => `mcp__${s}`).join(', ')}`);
  return out;
}

/**
 * tool-cross-reference: a description, parameter description, prompt or instructions that names another server's
 * tools or the server itself, or directs the model's use of other tools.
 */
export function crossReference(servers: readonly ServerView[]): Finding[] {
  return servers.flatMap((view) => crossReferenceOf(servers, view));
}

/** The same, for one server's texts against the tools of all the others. */
export function crossReferenceOf(servers: readonly ServerView[], view: ServerView): Finding[] {
  const names = servers.map((s) => s.name);
  const own = new Set(Object.values(view.entry.tools).map((t) => String(t.definition.name)));
  // Distinctive names are references wherever they appear; every name counts where a sentence steers its use.
  const distinct = new Map<string, string>();
  const all = new Map<string, string>();
  for (const other of servers) {
    if (other.name === view.name) continue;
    for (const tool of Object.values(other.entry.tools)) {
      const name = String(tool.definition.name);
      if (own.has(name) || name.length > MAX_NAME_LENGTH) continue;
      all.set(name, other.name);
      if (distinctive(name)) distinct.set(name, other.name);
    }
  }
  // Prose is searched for directives and for other servers' tools; a value, key or name only for directives (read
  // as the words it is made of: `ignore_previous_instructions`), since naming a tool there is ordinary.
  return instructionTexts(view.entry).flatMap((t) =>
    isProse(t)
      ? inspect(view, t, distinct, all, names, own)
      : // As written too: an encoded payload is not split at its case changes.
        directives(view, t, `${t.text}\n${identifierWords(t.text)}`),
  );
}
