import type { LockServer } from '../lockfile/schema.js';

/** One piece of text a model may read, and where it sits, so a finding can point at it. */
export interface Text {
  text: string;
  /** The path inside the definition: `description`, `inputSchema.properties.path.description`, `instructions`… */
  field: string;
  tool?: string;
  prompt?: string;
  resource?: string;
}

function join(prefix: string, key: string | number): string {
  return typeof key === 'number' ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
}

const SNAKE_CASE = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

/** What splits an identifier into words: a capital letter (camel case) or a separator. */
const IDENTIFIER_BREAK = /[A-Z_.$\-/:?=&#+]/;

/**
 * An identifier as the words a model reads in it: `ignore_previous_instructions`, `ignorePreviousInstructions` and
 * `ignore-previous-instructions` all read "ignore previous instructions". Text with spaces is left as it is.
 */
export function identifierWords(text: string): string {
  if (/\s/.test(text) || !IDENTIFIER_BREAK.test(text)) return text;
  // Most tool and parameter names are lower snake case: their words are what is between the underscores.
  if (SNAKE_CASE.test(text)) return text.replaceAll('_', ' ');
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_.$\-/:?=&#+]+/g, ' ')
    .trim();
}

/** How many word breaks an identifier has (`_`, `-`, `.`, `$` or a lower-to-upper hump), counted up to two. */
function wordBreaks(key: string): number {
  let breaks = 0;
  for (let i = 1; i < key.length && breaks < 2; i++) {
    const c = key.charCodeAt(i);
    const p = key.charCodeAt(i - 1);
    if (c === 95 || c === 45 || c === 46 || c === 36) breaks++;
    else if (c >= 65 && c <= 90 && ((p >= 97 && p <= 122) || (p >= 48 && p <= 57))) breaks++;
  }
  return breaks;
}

/** JSON Schema's type names: the value of every `type` in every schema, and nothing a model could be told in. */
const TYPE_NAMES = new Set(['object', 'string', 'number', 'integer', 'boolean', 'array', 'null']);
/** A standard meta-schema URI (`$schema`): fixed words, not text. Anything else in `$schema` is read. */
const META_SCHEMA =
  /^https?:\/\/json-schema\.org\/(?:draft-0[3-7]\/schema|draft\/20(?:19-09|20-12)\/schema)#?$/;

/**
 * Schema keywords whose value is one of a fixed set of words: skipped, since a server's every parameter repeats them
 * and they cannot carry an instruction. Only the exact standard values are skipped; any other value is read.
 */
function fixedWord(parent: string, key: string | number, value: string): boolean {
  // The value first: almost every string a server sends is no type name, and that is one look-up. Judged on the key
  // (and the parent's path for an array's item), so a skipped word costs no path of its own.
  if (TYPE_NAMES.has(value))
    return typeof key === 'number' ? parent.endsWith('.type') : key === 'type' || key.endsWith('.type');
  if (typeof key === 'string' && (key === '$schema' || key.endsWith('.$schema')))
    return META_SCHEMA.test(value);
  return false;
}

/** Where a text was found: every text of one tool (prompt, resource) shares it. */
type Subject = Pick<Text, 'tool' | 'prompt' | 'resource'>;

/**
 * Every string inside a value (keys too: a schema's property names are read by the model as well), as texts of a
 * subject. Every text has the same fields (absent ones undefined): the checks read hundreds of thousands of them, and
 * objects of one shape are read several times faster than objects of many. A value's path is `key` in `parent`, built
 * only where it is needed (a skipped type name needs none).
 */
function strings(value: unknown, parent: string, key: string | number, subject: Subject, out: Text[]): void {
  if (typeof value === 'string') {
    if (!fixedWord(parent, key, value)) add(out, value, join(parent, key), subject);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const path = join(parent, key);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) strings(value[i], path, i, subject, out);
    return;
  }
  for (const name of Object.keys(value)) {
    // Icons are images for the client's interface: the model is not shown them.
    if (name === 'icons') continue;
    if (name !== '' && !PLAIN_KEY.test(name)) add(out, name, `${join(path, name)} (key)`, subject);
    else if (wordBreaks(name) >= 2)
      // A parameter named like a sentence is read as one.
      add(out, identifierWords(name), `${join(path, name)} (key)`, subject);
    strings((value as Record<string, unknown>)[name], path, name, subject, out);
  }
}

const PLAIN_KEY = /^[A-Za-z0-9_.$-]*$/;

function add(out: Text[], text: string, field: string, subject: Subject): void {
  out.push({ text, field, tool: subject.tool, prompt: subject.prompt, resource: subject.resource });
}

/**
 * Every text of a server a model can be shown: tool names, titles, descriptions and every string of their schemas
 * and annotations; prompt and resource definitions; the server's instructions and identity.
 */
export function serverTexts(entry: LockServer): readonly Text[] {
  // Every check reads the same texts of the same entry: they are collected once per entry.
  const known = collected.get(entry);
  if (known) return known;
  const out: Text[] = [];
  const none: Subject = { tool: undefined, prompt: undefined, resource: undefined };
  if (entry.instructions !== undefined) strings(entry.instructions, '', 'instructions', none, out);
  strings(entry.serverInfo, '', 'serverInfo', none, out);
  for (const [tool, item] of Object.entries(entry.tools))
    strings(item.definition, '', '', { ...none, tool }, out);
  for (const [prompt, item] of Object.entries(entry.prompts)) {
    strings(item.definition, '', '', { ...none, prompt }, out);
    // What the prompt puts in front of the model when it is used: read like any description.
    if (item.body) strings(item.body.result, '', 'body', { ...none, prompt }, out);
  }
  for (const [resource, item] of Object.entries({ ...entry.resources, ...entry.resourceTemplates })) {
    strings(item.definition, '', '', { ...none, resource }, out);
  }
  collected.set(entry, out);
  return out;
}

const collected = new WeakMap<LockServer, readonly Text[]>();

/** The texts of a server that can carry an instruction (`readsAsInstructions`), collected once per entry too. */
export function instructionTexts(entry: LockServer): readonly Text[] {
  let texts = instructive.get(entry);
  if (!texts) instructive.set(entry, (texts = serverTexts(entry).filter(readsAsInstructions)));
  return texts;
}

const instructive = new WeakMap<LockServer, readonly Text[]>();

/** Where a text sits, for a message: `tool read_file inputSchema.properties.path.description`. */
export function where(t: Omit<Text, 'text'>): string {
  const subject =
    t.tool !== undefined
      ? `tool ${t.tool} `
      : t.prompt !== undefined
        ? `prompt ${t.prompt} `
        : t.resource !== undefined
          ? `resource ${t.resource} `
          : '';
  return `${subject}${t.field}`;
}

/** The subject fields of a finding about a text. */
export function subjectOf(t: Text): { tool?: string; prompt?: string; resource?: string; field: string } {
  const subject: { tool?: string; prompt?: string; resource?: string; field: string } = { field: t.field };
  if (t.tool !== undefined) subject.tool = t.tool;
  if (t.prompt !== undefined) subject.prompt = t.prompt;
  if (t.resource !== undefined) subject.resource = t.resource;
  return subject;
}

/**
 * Whether a text can carry an instruction to the model: prose, and every other place a payload hides in the wild —
 * a schema's `enum`, `const`, `default` and `examples` values, a parameter or tool name that reads as a sentence,
 * the server's name and title, a resource's name and the words of its URI.
 */
export function readsAsInstructions(t: Omit<Text, 'text'>): boolean {
  return (
    isProse(t) ||
    /(?:^|\.)(?:enum|examples)\[\d+\]$|(?:^|\.)(?:const|default|uri|uriTemplate)$|\(key\)$/.test(t.field) ||
    t.field === 'name' ||
    /^serverInfo\.(?:name|title)$/.test(t.field)
  );
}

/** Whether a text is written for the model to read as prose: descriptions, titles, instructions, prompt bodies. */
export function isProse(t: Omit<Text, 'text'>): boolean {
  const f = t.field;
  return (
    f === 'instructions' ||
    f === 'description' ||
    f === 'title' ||
    f.endsWith('.description') ||
    f.endsWith('.title') ||
    (t.prompt !== undefined && f.startsWith('body'))
  );
}
