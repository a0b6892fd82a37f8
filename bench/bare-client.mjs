#!/usr/bin/env node
// A bare MCP client as a program: Node starts, loads the SDK, launches each server of a list, initializes it and lists
// what it offers (tools, and prompts and resources where it says it has them, as verify lists them), at a given
// concurrency, then exits. What any client pays for the same work: the floor `mcp-lock verify` is compared against.
// Usage: node bench/bare-client.mjs <spec.json>, where the spec is { concurrency, servers: [{ command, args, env, cwd }] }.
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const { concurrency, servers } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const queue = [...servers];
const worker = async () => {
  for (let server = queue.shift(); server; server = queue.shift()) {
    const client = new Client({ name: 'bench-bare', version: '1' });
    const transport = new StdioClientTransport({ ...server, stderr: 'ignore' });
    try {
      await client.connect(transport);
      const caps = client.getServerCapabilities() ?? {};
      // A server that advertises a list it does not answer is listed as far as it goes, as verify does.
      const list = (call) => call().catch(() => undefined);
      if (caps.tools) await list(() => client.listTools());
      if (caps.prompts) await list(() => client.listPrompts());
      if (caps.resources) {
        await list(() => client.listResources());
        await list(() => client.listResourceTemplates());
      }
    } finally {
      await client.close();
    }
  }
};
await Promise.all(Array.from({ length: Math.min(concurrency, servers.length) }, worker));
