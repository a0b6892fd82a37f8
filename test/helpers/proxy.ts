import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { baseEnv, BIN, FIXTURES, makeProject, runCli } from './cli.js';

export const PROXY_SERVER = join(FIXTURES, 'proxy-server.mjs');
/** The secret the config hands the fixture server; it must never reach a log. */
export const API_TOKEN = 'tok_live_4f9a8b7c6d5e';

/** A project whose `fixture` server is the proxy fixture on a mode file, locked by a real `mcp-lock install`. */
export async function lockedProject(mode: Record<string, unknown> = {}): Promise<string> {
  const dir = makeProject({ 'mode.json': mode });
  writeFileSync(
    join(dir, '.mcp.json'),
    JSON.stringify(
      {
        mcpServers: {
          fixture: {
            command: process.execPath,
            args: [PROXY_SERVER, '--mode', join(dir, 'mode.json')],
            env: { API_TOKEN: '${API_TOKEN}' },
          },
        },
      },
      null,
      2,
    ),
  );
  const install = await runCli(['install'], { cwd: dir, env: { API_TOKEN } });
  if (install.code !== 0) throw new Error(`install failed: ${install.stdout}${install.stderr}`);
  return dir;
}

export function setMode(dir: string, mode: Record<string, unknown>): void {
  writeFileSync(join(dir, 'mode.json'), JSON.stringify(mode));
}

export interface ProxiedClient {
  client: Client;
  stderr: () => string;
  /** Resolves with stderr once it holds `text`: the proxy's stderr is a separate pipe, it can arrive after the reply. */
  stderrWith: (text: string, timeoutMs?: number) => Promise<string>;
  /** Resolves on the next `notifications/tools/list_changed` the client receives. */
  listChanged: () => Promise<void>;
  /** Sampling requests the client was asked to answer. */
  sampled: unknown[];
  close: () => Promise<void>;
}

/**
 * A real SDK client that launches `mcp-lock run` as its server, the way a client launches a wrapped config entry
 * (`command` and `args`), and answers sampling and elicitation like a user who agrees to everything.
 */
export async function connect(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; model?: string; sampleDelayMs?: number },
): Promise<ProxiedClient> {
  const transport = new StdioClientTransport({
    command,
    args,
    cwd: options.cwd,
    env: { ...baseEnv(join(options.cwd, '.home')), API_TOKEN, ...options.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: {} } },
  );
  const sampled: unknown[] = [];
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    sampled.push(request.params);
    if (options.sampleDelayMs) await new Promise((r) => setTimeout(r, options.sampleDelayMs));
    return {
      model: options.model ?? 'claude-test-1',
      role: 'assistant' as const,
      content: { type: 'text' as const, text: 'short' },
    };
  });
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept' as const, content: { ok: true } }));
  let changed: (() => void)[] = [];
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    for (const done of changed) done();
    changed = [];
  });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    stderrWith: async (text, timeoutMs = 5000) => {
      for (const end = Date.now() + timeoutMs; !stderr.includes(text) && Date.now() < end;) {
        await new Promise((r) => setTimeout(r, 25));
      }
      return stderr;
    },
    sampled,
    listChanged: () => new Promise((done) => changed.push(done)),
    close: () => client.close(),
  };
}

/** `mcp-lock run fixture` in front of the locked launch line. */
export function connectProxy(dir: string, extra: string[] = [], options: { sampleDelayMs?: number } = {}) {
  return connect(
    process.execPath,
    [BIN, 'run', 'fixture', '--lockfile', join(dir, 'mcp-lock.json'), ...extra],
    {
      cwd: dir,
      ...options,
    },
  );
}

/** Text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content[0]?.text ?? '';
}
