import { toLockServer } from '../../src/core/lockfile/entry.js';
import type { ServerView } from '../../src/core/checks/types.js';
import type { JsonObject, ServerSnapshot } from '../../src/core/server-snapshot.js';

/** A server view built from definitions, as the checks see a server; `file` decides which client loads it. */
export function view(
  name: string,
  tools: JsonObject[],
  extra: Partial<ServerSnapshot> = {},
  file = '.mcp.json',
): ServerView {
  return {
    name,
    entry: toLockServer(
      { configs: [{ file, key: `mcpServers.${name}` }], transport: 'stdio', command: 'node' },
      {
        protocolVersion: '2025-11-25',
        serverInfo: { name, version: '1' },
        capabilities: { tools: {} },
        tools,
        prompts: [],
        resources: [],
        resourceTemplates: [],
        ...extra,
      },
    ),
  };
}

export const tool = (
  name: string,
  description = 'Does a thing.',
  inputSchema: JsonObject = { type: 'object' },
): JsonObject => ({
  name,
  description,
  inputSchema,
});
