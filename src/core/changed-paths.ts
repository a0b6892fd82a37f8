import { canonicalize } from './canonical.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key)
    ? prefix
      ? `${prefix}.${key}`
      : key
    : `${prefix}[${JSON.stringify(key)}]`;
}

/**
 * The paths at which two JSON values differ (`properties.path.description`), deepest first reached, at most
 * `limit` of them: enough for a finding to say which parameter of a schema changed.
 */
export function changedPaths(before: unknown, after: unknown, prefix = '', limit = 10): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= limit) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) walk(a[key], b[key], join(path, key));
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((value, i) => walk(value, b[i], join(path, i)));
      return;
    }
    if (a === undefined && b === undefined) return;
    if (a === undefined || b === undefined || canonicalize(a) !== canonicalize(b))
      out.push(path || '(whole value)');
  };
  walk(before, after, prefix);
  return out;
}

/** Paths as a finding names them: one as it is, more as the first three and an ellipsis. */
export function describePaths(paths: string[]): string {
  return paths.length === 1 ? paths[0]! : `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''}`;
}
