#!/usr/bin/env node
// A second demo server that does not change: it verifies clean while its neighbour is caught.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer(
  { name: 'demo-notes', version: '0.3.1' },
  { instructions: 'Notes are stored in memory only.' },
);
const notes = [];

server.registerTool(
  'add_note',
  { description: 'Save a short note.', inputSchema: { text: z.string().max(500) } },
  async ({ text }) => {
    notes.push(text);
    return { content: [{ type: 'text', text: `Saved note ${notes.length}.` }] };
  },
);
server.registerPrompt('summarise_notes', { description: 'Summarise the saved notes.' }, () => ({
  messages: [{ role: 'user', content: { type: 'text', text: notes.join('\n') } }],
}));
server.registerResource(
  'all-notes',
  'notes://all',
  { mimeType: 'text/plain', description: 'Every note' },
  async (uri) => ({
    contents: [{ uri: uri.href, text: notes.join('\n') }],
  }),
);

await server.connect(new StdioServerTransport());
