import type { ClientIdentity } from '../core/lockfile/schema.js';
import { VERSION } from '../version.js';

/** What mcp-lock declares to servers: roots, sampling and elicitation, so servers list what they list for real clients. */
export const DEFAULT_CLIENT: ClientIdentity = {
  name: 'mcp-lock',
  version: VERSION,
  capabilities: { roots: {}, sampling: {}, elicitation: {} },
};
