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
