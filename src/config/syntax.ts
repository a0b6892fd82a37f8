/** The syntaxes client configs are written in. */
export type Syntax = 'json' | 'yaml' | 'toml';

/** A config file's syntax, from its name: Continue and Goose write YAML, Codex TOML, the rest JSON(C). */
export function syntaxOf(file: string): Syntax {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.toml$/i.test(file)) return 'toml';
  return 'json';
}
