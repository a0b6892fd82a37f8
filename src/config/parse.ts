import { parseWrapped } from '../core/wrapped-entry.js';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { PROTO_STAND_IN, restoreProtoKeys } from '../core/proto-keys.js';
import * as z from '../core/zod.js';
import { formatOf } from './formats.js';
import { syntaxOf, type Syntax } from './syntax.js';
import { parseToml } from './toml-text.js';
import { parseYaml } from './yaml-text.js';
import type { ClientKind, ServerSpec, TransportKind } from '../core/server-spec.js';

/** Pure: config text in, server specs or every problem found out. Reading the file is config/read.ts's job. */
export type ParseResult = { ok: true; specs: ServerSpec[] } | { ok: false; errors: string[] };

export interface ParseOptions {
  /** The file as shown to the user, recorded in the lock. */
  file: string;
  client: ClientKind;
  /** VS Code's files are JSONC: comments and trailing commas. */
  jsonc: boolean;
  /** For `~/.claude.json`: the project whose local-scope servers to read. */
  projectDir?: string;
  /** A Claude Code plugin's folder: a `.mcp.json` there may list its servers without `mcpServers`. */
  pluginRoot?: string;
  /** The file's syntax, from its name: JSON(C) unless it is YAML (Continue, Goose) or TOML (Codex). */
  syntax?: Syntax;
}

const StringMap = z.record(z.string(), z.string({ error: 'expected a string value' }));

const EntrySchema = z.looseObject({
  type: z.optional(z.string()),
  command: z.optional(z.string().check(z.minLength(1, 'expected a non-empty command'))),
  args: z.optional(
    z.array(z.string({ error: 'expected a string' }), { error: 'expected an array of strings' }),
  ),
  env: z.optional(StringMap),
  envFile: z.optional(z.string()),
  cwd: z.optional(z.string()),
  url: z.optional(z.string()),
  httpUrl: z.optional(z.string()),
  serverUrl: z.optional(z.string()),
  headers: z.optional(StringMap),
  disabled: z.optional(z.boolean()),
});
type Entry = z.infer<typeof EntrySchema>;

const ServersSchema = z.record(z.string(), z.unknown(), { error: 'expected an object of servers' });

/** Deeper than this, a config is not one a client wrote: refused before a recursive parser overflows on it. */
const MAX_CONFIG_DEPTH = 64;

/** Offsets of line starts, computed once, so a line number is a binary search, not a scan from the start. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** How deep brackets nest, outside strings and comments: one linear pass, no recursion. */
function nestsTooDeep(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (ch === '{' || ch === '[') {
      if (++depth > MAX_CONFIG_DEPTH) return true;
    } else if (ch === '}' || ch === ']') {
      depth--;
    }
  }
  return false;
}

interface ParsedText {
  value: unknown;
  /** Offset of each entry `<top key>\u0000<name>` (and `projects\u0000<dir>\u0000mcpServers\u0000<name>`). */
  offsets: Map<string, number>;
  /** Key paths (joined by NUL) that appear twice in one object → offsets of the earlier definitions. Clients take the last, and so does mcp-lock, but a reviewer may read the first. */
  duplicates: Map<string, number[]>;
  lines: number[];
}

/**
 * The value of a JSONC tree, built here rather than by jsonc-parser's `parse`, whose plain objects treat a key named
 * `__proto__` as the prototype (a server a client sees but a reader would not). Such keys stand in as PROTO_STAND_IN.
 */
function valueOf(node: Node, path: string[], out: ParsedText): unknown {
  if (node.type === 'array')
    return (node.children ?? []).map((child, i) => valueOf(child, [...path, String(i)], out));
  if (node.type !== 'object') return node.value;
  const entries = new Map<string, unknown>();
  const seenAt = new Map<string, number>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const here = [...path, key];
    const earlier = seenAt.get(key);
    if (earlier !== undefined && here.length <= 4) {
      const id = here.join('\u0000');
      out.duplicates.set(id, [...(out.duplicates.get(id) ?? []), earlier]);
    }
    seenAt.set(key, property.offset);
    if (here.length <= 4) out.offsets.set(here.join('\u0000'), property.offset);
    entries.set(key === '__proto__' ? PROTO_STAND_IN : key, valueOf(valueNode, here, out));
  }
  return Object.fromEntries(entries);
}

function parseText(
  text: string,
  jsonc: boolean,
): ({ ok: true } & ParsedText) | { ok: false; errors: string[] } {
  if (text.trim() === '') return { ok: false, errors: ['the file is empty'] };
  if (nestsTooDeep(text)) return { ok: false, errors: [`nests deeper than ${MAX_CONFIG_DEPTH} levels`] };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: !jsonc, allowTrailingComma: jsonc });
  const lines = lineStarts(text);
  if (errors.length > 0 || !tree) {
    return {
      ok: false,
      errors: errors
        .slice(0, 3)
        .map(
          (e) =>
            `${jsonc ? 'JSONC' : 'JSON'} syntax error (${printParseErrorCode(e.error)}) at line ${lineAt(lines, e.offset)}, column ${e.offset - lines[lineAt(lines, e.offset) - 1]! + 1}`,
        ),
    };
  }
  const parsed: ParsedText = { value: undefined, offsets: new Map(), duplicates: new Map(), lines };
  parsed.value = valueOf(tree, [], parsed);
  return { ok: true, ...parsed };
}

function issuePath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${String(part)}`),
    prefix,
  );
}

/** Which transport a client uses for an entry: the explicit `type`, else each client's own reading of the keys. */
function transportOf(
  entry: Entry,
  client: ClientKind,
): { transport: TransportKind; url?: string; sseFallback?: boolean } | string {
  const type = entry.type?.toLowerCase();
  const url = entry.httpUrl ?? entry.serverUrl ?? entry.url;
  if (type !== undefined) {
    if (type === 'stdio' || type === 'local')
      return entry.command ? { transport: 'stdio' } : `type is ${entry.type} but there is no command`;
    if (!url) return `type is ${entry.type} but there is no url`;
    if (type === 'sse') return { transport: 'sse', url };
    if (
      type === 'http' ||
      type === 'streamable-http' ||
      type === 'streamablehttp' ||
      type === 'streamable_http'
    ) {
      return { transport: 'http', url, sseFallback: client === 'vscode' || client === 'cursor' };
    }
    // OpenCode's remote servers: streamable HTTP first, then SSE.
    if (type === 'remote') return { transport: 'http', url, sseFallback: true };
    return `unknown type "${entry.type}" (expected stdio, http or sse)`;
  }
  if (entry.command) return { transport: 'stdio' };
  if (entry.httpUrl) return { transport: 'http', url: entry.httpUrl };
  if (entry.url && (client === 'gemini' || formatOf(client).bareUrl === 'sse'))
    return { transport: 'sse', url: entry.url };
  if (url) return { transport: 'http', url, sseFallback: true };
  return 'expected a "command" (stdio) or a "url" (HTTP/SSE)';
}

/** A client's entry in the common shape, or 'skip' for one with no launch line of its own (a Zed extension's). */
function normalised(raw: unknown, client: ClientKind): unknown {
  const normalise = formatOf(client).normalise;
  return normalise && typeof raw === 'object' && raw !== null && !Array.isArray(raw)
    ? normalise(raw as Record<string, unknown>)
    : raw;
}

function readServers(
  servers: unknown,
  keyPrefix: string,
  options: ParseOptions,
  out: ServerSpec[],
  errors: string[],
) {
  const map = ServersSchema.safeParse(servers);
  if (!map.success) {
    errors.push(`${keyPrefix}: expected an object mapping server names to their settings`);
    return;
  }
  for (const [standIn, raw] of Object.entries(map.data)) {
    const name = standIn === PROTO_STAND_IN ? '__proto__' : standIn;
    const key = `${keyPrefix}.${name}`;
    const entryRaw = normalised(raw, options.client);
    if (entryRaw === 'skip') continue;
    const parsed = EntrySchema.safeParse(entryRaw);
    if (!parsed.success) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        errors.push(`${key}: expected an object with "command" or "url"`);
        continue;
      }
      for (const issue of parsed.error.issues) errors.push(`${issuePath(key, issue.path)}: ${issue.message}`);
      continue;
    }
    let entry = restoreProtoKeys(parsed.data);
    // A wrapped remote entry is read as the entry it replaced, whose text it carries.
    const wrappedRemote = parseWrapped(entry.args);
    if (wrappedRemote?.restore !== undefined) {
      const original = parseAny(
        restorable(wrappedRemote.restore, options.syntax ?? 'json'),
        options.syntax ?? 'json',
        true,
      );
      const restored = original.ok ? normalised(original.value, options.client) : undefined;
      const inner =
        restored !== undefined && restored !== 'skip' ? EntrySchema.safeParse(restored) : undefined;
      if (!inner?.success) {
        errors.push(
          `${key}: the entry wrap replaced cannot be read back (run \`mcp-lock unwrap\` or restore it)`,
        );
        continue;
      }
      entry = restoreProtoKeys(inner.data);
    }
    if (entry.disabled === true) continue;
    const transport = transportOf(entry, options.client);
    if (typeof transport === 'string') {
      errors.push(`${key}: ${transport}`);
      continue;
    }
    const spec: ServerSpec = {
      name,
      origin: { file: options.file, key, client: options.client },
      transport: transport.transport,
    };
    if (transport.transport === 'stdio') {
      // A wrapped entry is read as the launch line it wraps: the lock, verify and pin see the server itself.
      const wrapped = parseWrapped(entry.args);
      spec.command = wrapped ? wrapped.command : entry.command!;
      spec.args = wrapped ? wrapped.args : (entry.args ?? []);
      if (wrapped) spec.wrapped = { lockfile: wrapped.lockfile };
      if (entry.cwd !== undefined) spec.cwd = entry.cwd;
      if (entry.env !== undefined) spec.env = entry.env;
      if (entry.envFile !== undefined) spec.envFile = entry.envFile;
    } else {
      spec.url = transport.url!;
      if (transport.sseFallback) spec.sseFallback = true;
      if (entry.headers !== undefined) spec.headers = entry.headers;
      if (wrappedRemote) spec.wrapped = { lockfile: wrappedRemote.lockfile };
    }
    out.push(spec);
  }
}

/** Parses one client config file into server specs, or lists every problem with its key path. */
/**
 * A YAML entry's text as wrap carried it starts at its first key, whose indentation is left behind: the first line
 * gets the indentation of the lines after it back, so it parses as the mapping it was.
 */
function restorable(text: string, syntax: Syntax): string {
  if (syntax !== 'yaml') return text;
  const indents = text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => /^ */.exec(l)![0].length);
  return indents.length > 0 ? ' '.repeat(Math.min(...indents)) + text : text;
}

/** Text of any config syntax as a value with entry offsets. */
function parseAny(
  text: string,
  syntax: Syntax,
  jsonc: boolean,
): ({ ok: true } & ParsedText) | { ok: false; errors: string[] } {
  if (syntax === 'json') return parseText(text, jsonc);
  const parsed = syntax === 'yaml' ? parseYaml(text) : parseToml(text);
  return parsed.ok ? { ...parsed, lines: lineStarts(text) } : parsed;
}

/**
 * Continue lists its servers, each with a `name`: read as a map of name → entry, with each entry's index for the
 * editors. A name given twice is read as a JSON key given twice (the last one counts, the earlier are reported).
 */
function listedServers(
  list: unknown[],
  prefix: string,
  errors: string[],
): { map: Record<string, unknown>; index: Map<string, number>; earlier: Map<string, number[]> } {
  const map: Record<string, unknown> = {};
  const index = new Map<string, number>();
  const earlier = new Map<string, number[]>();
  list.forEach((item, i) => {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name === '') {
      errors.push(`${prefix}[${i}]: expected a "name"`);
      return;
    }
    const key = name === '__proto__' ? PROTO_STAND_IN : name;
    const before = index.get(name);
    if (before !== undefined) earlier.set(name, [...(earlier.get(name) ?? []), before]);
    map[key] = item;
    index.set(name, i);
  });
  return { map, index, earlier };
}

export function parseConfig(text: string, options: ParseOptions): ParseResult {
  // Editors on Windows start a file with a byte-order mark; a space keeps every offset where it was.
  const body = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const syntax = options.syntax ?? syntaxOf(options.file);
  const parsed = parseAny(body, syntax, options.jsonc);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    return {
      ok: false,
      errors: [`expected ${syntax === 'json' ? 'a JSON object' : 'a mapping'} at the top level`],
    };
  }
  options = { ...options, syntax };
  const doc = root as Record<string, unknown>;
  const lineOf = (path: string[]) => {
    const offset = parsed.offsets.get(path.join('\u0000'));
    return offset === undefined ? undefined : lineAt(parsed.lines, offset);
  };
  const specs: ServerSpec[] = [];
  const errors: string[] = [];
  const serversPath = formatOf(options.client).serversAt(doc);
  const servers = serversPath.reduce<unknown>(
    (node, key) =>
      typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined,
    doc,
  );
  if (Array.isArray(servers) && formatOf(options.client).listed) {
    const prefix = serversPath.join('.');
    const listed = listedServers(servers, prefix, errors);
    const before = specs.length;
    readServers(listed.map, prefix, options, specs, errors);
    for (const spec of specs.slice(before)) {
      const at = listed.index.get(spec.name)!;
      spec.origin.entry = [...serversPath, at];
      const line = lineOf([...serversPath, String(at)]);
      if (line !== undefined) spec.origin.line = line;
      const shadowed = listed.earlier.get(spec.name);
      if (shadowed)
        spec.origin.shadowedLines = shadowed
          .map((i) => lineOf([...serversPath, String(i)]))
          .filter((l): l is number => l !== undefined);
    }
  } else if (servers !== undefined) {
    const before = specs.length;
    readServers(servers, serversPath.join('.'), options, specs, errors);
    // `<top key>.<name>` is where an entry is found by default; deeper ones say where they are.
    if (serversPath.length > 1)
      for (const spec of specs.slice(before)) spec.origin.entry = [...serversPath, spec.name];
  } else if (options.pluginRoot !== undefined && /(?:^|[\\/])\.mcp\.json$/.test(options.file)) {
    // A plugin's `.mcp.json` may name its servers at the top level.
    readServers(doc, 'mcpServers', options, specs, errors);
    for (const spec of specs) spec.origin.entry = [spec.name];
  } else if (options.client === 'generic' && doc.servers !== undefined) {
    readServers(doc.servers, 'servers', { ...options, client: 'vscode' }, specs, errors);
  }
  // ~/.claude.json keeps local-scope servers per project, keyed by the project's absolute path.
  if (options.projectDir !== undefined && typeof doc.projects === 'object' && doc.projects !== null) {
    const project = (doc.projects as Record<string, unknown>)[options.projectDir];
    if (typeof project === 'object' && project !== null && 'mcpServers' in project) {
      const prefix = `projects[${JSON.stringify(options.projectDir)}].mcpServers`;
      readServers((project as Record<string, unknown>).mcpServers, prefix, options, specs, errors);
    }
  }
  for (const spec of specs) {
    if (options.pluginRoot !== undefined) spec.pluginRoot = options.pluginRoot;
    if (typeof spec.origin.entry?.at(-1) === 'number') continue;
    const path = spec.origin.key.startsWith('projects[')
      ? ['projects', options.projectDir ?? '', 'mcpServers', spec.name]
      : ((spec.origin.entry as string[] | undefined) ?? [spec.origin.key.split('.')[0]!, spec.name]);
    const line = lineOf(path);
    if (line !== undefined) spec.origin.line = line;
    const earlier = parsed.duplicates.get(path.join('\u0000'));
    if (earlier) spec.origin.shadowedLines = earlier.map((offset) => lineAt(parsed.lines, offset));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, specs };
}
