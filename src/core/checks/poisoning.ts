import { finding, type Finding } from '../findings.js';
import { identifierWords, readsAsInstructions, serverTexts, subjectOf, where, type Text } from './texts.js';
import type { ServerView } from './types.js';

/**
 * Poisoning indicators, reported as lint (info): each is common in published attacks and rare in honest servers,
 * but none is proof. They key on what the text asks the model to do, not only on markup: measured on the Damn
 * Vulnerable MCP Server, a scanner that looks only for `<IMPORTANT>` tags misses most attacks once they are removed.
 */
const INSTRUCTIONS: [RegExp, string][] = [
  [
    /<\s*\/?\s*(?:important|hidden|system|instructions?|secret|critical|admin|note)\b[^>]{0,40}>/i,
    'instruction-like markup',
  ],
  [/\byou\s+(?:must|should|need\s+to)\s+(?:first|always|also|never)\b/i, 'an imperative aimed at the model'],
  [
    /\bbefore\s+(?:using|calling|invoking|providing|responding|answering|returning)\b[^.\n]{0,80}\b(?:read|access|include|call|send|pass|fetch|retrieve)\b/i,
    'a precondition that makes the model act first',
  ],
  [
    /\b(?:this is|it is)\s+(?:very\s+)+important\b|\bthe (?:application|system) will crash\b/i,
    'pressure on the model',
  ],
];

/** The instruction-like phrases a text contains, by kind. */
export function instructionKinds(text: string): string[] {
  return INSTRUCTIONS.filter(([pattern]) => pattern.test(text)).map(([, what]) => what);
}

const SECRET_FILES =
  /~\/\.ssh\b|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|(?:^|[\s"'`(/])\.env\b|\/etc\/(?:passwd|shadow)\b|\bmcp\.json\b|\.aws\/credentials\b|\.npmrc\b|\.netrc\b|\.git-credentials\b/i;
const SECRET_WORDS =
  /\b(?:api[\s_-]?keys?|passwords?|private\s+keys?|access\s+tokens?|secret\s+keys?|credentials|session\s+tokens?|confidential)\b/i;
const ACTION =
  /\b(?:include|send|pass|read|access|extract|provide|share|output|reveal|return|forward|upload|append)\b/i;

const EXFIL_NAMES =
  /^(?:side_?note|notes?|context|conversation|chat_?history|history|summary|debug|extra|feedback|reasoning|thoughts?|metadata|remarks?)$/i;
const FILL_HINT =
  /\b(?:conversation|previous\s+(?:messages?|calls?)|chat\s+history|full\s+(?:list|content)|entire|all\s+(?:messages|data)|file\s+content|contents?\s+of)\b/i;

function lint(view: ServerView, original: Text): Finding[] {
  const out: Finding[] = [];
  // A name or enum value is read as the words it is made of.
  const t = { ...original, text: identifierWords(original.text) };
  const subject = { server: view.name, ...subjectOf(t) };
  for (const [pattern, what] of INSTRUCTIONS) {
    const match = pattern.exec(t.text);
    if (match) {
      out.push(
        finding('tool-suspicious-instructions', {
          ...subject,
          message: `${where(t)}: ${what} ("${match[0].replace(/\s+/g, ' ').slice(0, 80)}")`,
        }),
      );
      break;
    }
  }
  const file = SECRET_FILES.exec(t.text);
  if (file) {
    out.push(
      finding('tool-sensitive-reference', {
        ...subject,
        message: `${where(t)}: refers to a secret file (${file[0].trim()})`,
      }),
    );
  } else {
    for (const sentence of t.text.split(/(?<=[.!?\n])\s+/)) {
      const word = SECRET_WORDS.exec(sentence);
      if (word && ACTION.test(sentence)) {
        out.push(
          finding('tool-sensitive-reference', {
            ...subject,
            message: `${where(t)}: asks to act on ${word[0].toLowerCase()} ("${sentence.trim().slice(0, 80)}")`,
          }),
        );
        break;
      }
    }
  }
  return out;
}

function exfiltration(view: ServerView): Finding[] {
  const out: Finding[] = [];
  for (const [tool, item] of Object.entries(view.entry.tools)) {
    const schema = item.definition.inputSchema as
      { properties?: Record<string, { description?: unknown }> } | undefined;
    const description = typeof item.definition.description === 'string' ? item.definition.description : '';
    for (const [param, spec] of Object.entries(schema?.properties ?? {})) {
      if (!EXFIL_NAMES.test(param)) continue;
      const own = typeof spec?.description === 'string' ? spec.description : '';
      const namedInTool = new RegExp(`\\b(?:as|into|in)\\s+['"\`]?${param}['"\`]?`, 'i').test(description);
      if (namedInTool || FILL_HINT.test(own)) {
        out.push(
          finding('tool-exfiltration-parameter', {
            server: view.name,
            tool,
            field: `inputSchema.properties.${param}`,
            message: `tool ${tool}: parameter "${param}" is to be filled with ${namedInTool ? 'data the description tells the model to fetch' : 'conversation data'}`,
          }),
        );
      }
    }
  }
  return out;
}

/** Lint-level poisoning indicators: instruction-like text, references to secrets, exfiltration parameters. */
export function poisoning(servers: readonly ServerView[]): Finding[] {
  return servers.flatMap((view) => [
    ...serverTexts(view.entry)
      .filter(readsAsInstructions)
      .flatMap((t) => lint(view, t)),
    ...exfiltration(view),
  ]);
}
