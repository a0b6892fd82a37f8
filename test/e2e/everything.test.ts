import { describe, expect, it } from 'vitest';
import { EVERYTHING, makeProject, readText, runCli } from '../helpers/cli.js';

/** The published reference server from npm (a pinned dev dependency), started the way a client starts it. */
describe('@modelcontextprotocol/server-everything', () => {
  it('installs, verifies clean, and gives the same bytes twice', async () => {
    const dir = makeProject({
      '.mcp.json': { mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } },
    });
    const install = await runCli(['install', '--format', 'json'], { cwd: dir });
    expect(install.code).toBe(0);
    const lock = JSON.parse(readText(dir, 'mcp-lock.json'));
    const server = lock.servers.everything;
    expect(server.serverInfo.name).toMatch(/everything/);
    // With roots, sampling and elicitation declared, it lists its client-dependent tools too.
    expect(Object.keys(server.tools).length).toBeGreaterThanOrEqual(13);
    expect(Object.keys(server.prompts).length).toBeGreaterThan(0);
    expect(Object.keys(server.resources).length).toBeGreaterThan(0);
    expect(Object.keys(server.resourceTemplates).length).toBeGreaterThan(0);
    expect(server.instructions.length).toBeGreaterThan(100);
    expect(lock.client.capabilities).toEqual({ roots: {}, sampling: {}, elicitation: {} });

    const first = readText(dir, 'mcp-lock.json');
    expect((await runCli(['install'], { cwd: dir })).code).toBe(0);
    expect(readText(dir, 'mcp-lock.json')).toBe(first);
    const verify = await runCli(['verify', '--format', 'json'], { cwd: dir });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout).findings).toEqual([]);
  });
});
