import { finding, type Finding } from '../findings.js';
import {
  identifierWords,
  isProse,
  readsAsInstructions,
  serverTexts,
  subjectOf,
  where,
  type Text,
} from './texts.js';
import type { ServerView } from './types.js';
import { readings } from './readings.js';

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
    /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|existing|other)\s+(?:safety\s+)?(?:instructions?|rules|guidelines|restrictions|prompts?|directives?|policies)\b/i,
    'tells the model to ignore its instructions',
  ],
  [
    // The same in the languages attacks are written in besides English (zh, ja, ko, ru, uk, es, pt, fr, de, it).
    /(?:忽略|无视|忽視|無視)(?:掉)?(?:之前|以前|先前|上面|上述|所有|全部)[^。\n]{0,10}(?:指令|指示|说明|說明|规则|規則|提示)|(?:以前|前|これまで|上記|上)の[^。\n]{0,10}(?:指示|命令|ルール|指令)[^。\n]{0,6}(?:無視|忘れ)|이전[^.\n]{0,10}(?:지시|명령|지침)[^.\n]{0,6}무시|(?:игнорируй|игнорируйте|забудь|забудьте|проигнорируй)\s+(?:все\s+)?(?:предыдущие|прежние|прошлые|вышеуказанные)\s+(?:инструкции|указания|правила)|(?:ігноруй|ігноруйте)\s+(?:всі\s+)?(?:попередні)\s+(?:інструкції|вказівки)|\bignor(?:a|e|ar|ez|er|iere|ieren|are)\s+(?:todas\s+|tutte\s+|toutes\s+|alle\s+)?(?:las\s+|as\s+|les\s+|le\s+)?(?:instrucciones|instruções|instructions|istruzioni|anweisungen)\s+(?:anteriores|précédentes|precedenti|vorherigen)\b|\bignoriere\s+(?:alle\s+)?(?:vorherigen|bisherigen)\s+(?:anweisungen|regeln)\b/iu,
    'tells the model to ignore its instructions',
  ],
  [
    /\bsystem\s+(?:override|directive)s?\b|\[\s*(?:system|admin)\s+(?:directive|override|instruction|message|note)s?\s*\]|\bjailbreak\s+mode\b|\bact\s+as\b[^.\n]{0,40}\bwith\s+(?:root|admin(?:istrator)?|unrestricted)\s+(?:access|privileges|permissions)\b/i,
    'claims system authority over the model',
  ],
  [
    /\balways\s+(?:bcc|cc)\b|\balways\s+(?:consult|call|use|invoke|run)\s+this\s+tool\s+first\b|\bcommands?\s+must\s+(?:include|start\s+with|be\s+prefixed\s+with)\b[^.\n]{0,20}\bprefix\b/i,
    'gives the model a standing order for other actions',
  ],
  [
    /\bno\s+need\s+to\s+(?:tell|mention|inform|notify)\b[^.\n]{0,40}\b(?:user|human)\b|不要(?:告诉|告訴|通知|提醒)用户|ユーザーに(?:は)?(?:伝え|知らせ|言わ|教え)ないで|(?:не\s+(?:говори|говорите|сообщай|сообщайте|рассказывай))\s+(?:об\s+этом\s+)?пользовател/iu,
    'asks the model to keep something from the user',
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

/**
 * The directives in one text, as findings: in the text as written and as a model would read it decoded (look-alike
 * letters, full-width forms, leetspeak, rot13, base64, hex, HTML entities). One finding per kind of directive.
 */
function directives(view: ServerView, t: Text): Finding[] {
  const out: Finding[] = [];
  const found = new Set<string>();
  for (const reading of readings(t.text)) {
    for (const [pattern, what] of DIRECTIVES) {
      if (found.has(what)) continue;
      const match = pattern.exec(reading.text);
      if (!match) continue;
      found.add(what);
      const quoted = `"${match[0].replace(/\s+/g, ' ').slice(0, 100)}"`;
      out.push(
        finding('tool-cross-reference', {
          server: view.name,
          ...subjectOf(t),
          message: `${where(t)}: ${what} (${quoted}${reading.how ? `, ${reading.how}` : ''})`,
        }),
      );
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
  out.push(...directives(view, t));
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
    // Prose is searched for directives and for other servers' tools; a value, key or name only for directives (read
    // as the words it is made of: `ignore_previous_instructions`), since naming a tool there is ordinary.
    return serverTexts(view.entry)
      .filter(readsAsInstructions)
      .flatMap((t) =>
        isProse(t)
          ? inspect(view, t, others, names, maxSeparators)
          : directives(view, { ...t, text: identifierWords(t.text) }),
      );
  });
}
