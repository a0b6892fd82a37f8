/**
 * Variable references as the clients write them, expanded only to launch a server (the lock keeps them as written):
 * `${VAR}` and `${VAR:-default}` (Claude Code), `${env:VAR}` (VS Code, Cursor, Windsurf), `${userHome}`,
 * `${workspaceFolder}`, `${workspaceFolderBasename}`, `${pathSeparator}`, OpenCode's `{env:VAR}`, and VS Code's `${input:id}`, which mcp-lock
 * takes from the environment variable named by `inputVariableName(id)` since nobody is there to be prompted.
 */
export interface VariableContext {
  env: Readonly<Record<string, string | undefined>>;
  userHome: string;
  workspaceFolder: string;
  pathSeparator: string;
  /** Gemini CLI also expands `$VAR` (without braces) in its settings. */
  dollar?: boolean;
  /** OpenCode writes `{env:VAR}` (and `{file:path}`) without the dollar. */
  bare?: boolean;
  /** Continue writes `${{ secrets.NAME }}` and `${{ inputs.NAME }}`: read from the environment variable NAME. */
  mustache?: boolean;
}

export type Expansion = { ok: true; value: string } | { ok: false; missing: string[] };

const REFERENCE = /\$\{([^}]*)\}/g;

/** `${input:api-key}` is read from `MCP_LOCK_INPUT_API_KEY`. */
export function inputVariableName(id: string): string {
  return 'MCP_LOCK_INPUT_' + id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function basename(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

function lookup(expression: string, ctx: VariableContext): string | { missing: string } {
  const fromEnv = (name: string) => {
    const value = ctx.env[name];
    return value === undefined ? { missing: `environment variable ${name}` } : value;
  };
  if (expression === 'userHome') return ctx.userHome;
  if (expression === 'workspaceFolder') return ctx.workspaceFolder;
  if (expression === 'workspaceFolderBasename') return basename(ctx.workspaceFolder);
  if (expression === 'pathSeparator' || expression === '/') return ctx.pathSeparator;
  if (expression.startsWith('env:')) return fromEnv(expression.slice(4));
  // A file's contents as a value: mcp-lock launches without reading secrets out of files on the client's behalf.
  if (ctx.bare && expression.startsWith('file:'))
    return { missing: `{${expression}} (set the value in the environment and use {env:NAME})` };
  if (expression.startsWith('input:')) {
    const id = expression.slice(6);
    const name = inputVariableName(id);
    const value = ctx.env[name];
    return value === undefined ? { missing: `input ${id} (set ${name})` } : value;
  }
  const withDefault = /^([A-Za-z_][A-Za-z0-9_]*):-(.*)$/s.exec(expression);
  if (withDefault) {
    const value = ctx.env[withDefault[1]!];
    return value === undefined || value === '' ? withDefault[2]! : value;
  }
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(expression)) return fromEnv(expression);
  return { missing: `unsupported variable \${${expression}}` };
}

/** Expands every reference in `text`; lists every one that cannot be expanded rather than stopping at the first. */
export function expandVariables(text: string, ctx: VariableContext): Expansion {
  const missing: string[] = [];
  // One pass, so a value put in is never read again for references.
  const pattern = ctx.dollar
    ? /\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g
    : ctx.bare
      ? /\$?\{((?:env|file):[^}]*)\}/g
      : ctx.mustache
        ? /\$\{\{\s*(?:secrets|inputs)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}|\$\{([^}]*)\}/g
        : REFERENCE;
  const value = text.replace(pattern, (whole, first: string | undefined, second: string | undefined) => {
    // Continue's `${{ secrets.NAME }}` is the environment variable NAME; the `${…}` beside it reads as elsewhere.
    const result = ctx.mustache
      ? first !== undefined
        ? (ctx.env[first] ?? { missing: `environment variable ${first}` })
        : lookup(second!, ctx)
      : lookup(first ?? second!, ctx);
    if (typeof result === 'string') return result;
    missing.push(result.missing);
    return whole;
  });
  return missing.length > 0 ? { ok: false, missing } : { ok: true, value };
}
