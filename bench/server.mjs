#!/usr/bin/env node
// A benchmark MCP server (SDK McpServer over stdio) with --tools N tools, each with a few parameters.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--tools') + 1] ?? 50);
const id = args[args.indexOf('--id') + 1] ?? '0';
const server = new McpServer({ name: `bench-${id}`, version: '1.0.0' });
for (let i = 0; i < count; i++) {
  server.registerTool(
    `tool_${id}_${i}`,
    {
      description: `Benchmark tool ${i} of server ${id}: reads a record, filters it and returns a summary of the fields asked for.`,
      inputSchema: {
        query: z.string().describe('What to look for'),
        limit: z.number().int().optional(),
        fields: z.array(z.string()).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async () => ({ content: [{ type: 'text', text: 'ok' }] }),
  );
}
await server.connect(new StdioServerTransport());
