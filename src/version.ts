import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * mcp-lock's own version, from its package.json. Named by the package's own name (a self-reference, through
 * `exports`), not by a relative path: the same code runs from dist/ (the library) and from dist/bundle/ (the CLI).
 */
export const VERSION: string = (require('mcp-lock/package.json') as { version: string }).version;
