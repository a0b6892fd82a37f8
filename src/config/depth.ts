/** Deeper than this, a config is not one a client wrote: refused before a recursive parser overflows on it. */
export const MAX_CONFIG_DEPTH = 64;

/**
 * Whether brackets (`[`, `{`) nest deeper than MAX_CONFIG_DEPTH outside strings and `#` comments, in one linear pass:
 * the guard for YAML flow collections and TOML arrays and inline tables.
 */
export function bracketsTooDeep(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      for (i++; i < text.length && text[i] !== ch && text[i] !== '\n'; i++)
        if (ch === '"' && text[i] === '\\') i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '[' || ch === '{') {
      if (++depth > MAX_CONFIG_DEPTH) return true;
    } else if (ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return false;
}

/**
 * Whether YAML's block structure could nest deeper than MAX_CONFIG_DEPTH: a line indented further than any client's
 * config is, or opening more compact collections (`- - - x`, `a: b: c:`) than that on one line.
 */
export function blocksTooDeep(text: string): boolean {
  const limit = MAX_CONFIG_DEPTH * 4;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let i = start;
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i - start > limit) return true;
    let opened = 0;
    for (; i < end; i++) {
      const ch = text[i];
      if ((ch === '-' || ch === '?' || ch === ':') && (i + 1 === end || text[i + 1] === ' ')) {
        if (++opened > MAX_CONFIG_DEPTH) return true;
      }
    }
    start = end + 1;
  }
  return false;
}
