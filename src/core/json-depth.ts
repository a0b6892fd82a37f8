/**
 * How deep a message or a definition may nest. Real schemas nest about 15 levels (the deepest of 16 popular servers
 * is 14); past this, a server is probing for stack overflows, and what it sent is not read further.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Whether a JSON value nests deeper than `max` (objects and arrays count one level each). Iterative, so a value a
 * thousand levels deep is measured without the recursion it is meant to keep away from.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The same, for text that `JSON.parse` accepted: its nesting depth is its bracket depth outside strings. Reading a
 * large lockfile, this scan is a few milliseconds where walking the parsed value allocates a frame per node.
 */
export function textNestsDeeperThan(json: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote; a backslash escapes the character after it.
      for (i++; i < json.length; i++) {
        const d = json.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
