import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A library loaded on first use rather than at start-up: yaml and json-stable-stringify take ~45 ms each to load (smol-toml ~12 ms), and
 * most runs (`mcp-lock ls` of a JSON config) never call them.
 */
export function lazy<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
