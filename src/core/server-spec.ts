/** The clients whose config files mcp-lock reads; the kind decides how an entry without `type` is read. */
export type ClientKind =
  | 'claude-code'
  | 'claude-desktop'
  | 'cursor'
  | 'vscode'
  | 'windsurf'
  | 'gemini'
  | 'zed'
  | 'cline'
  | 'roo'
  | 'kiro'
  | 'copilot-cli'
  | 'visual-studio'
  | 'amazon-q'
  | 'opencode'
  | 'continue'
  | 'goose'
  | 'codex'
  | 'generic';

export type TransportKind = 'stdio' | 'http' | 'sse';

/** Where a server entry was read: a config file (as shown to the user) and the key path inside it. */
export interface ConfigOrigin {
  file: string;
  key: string;
  client: ClientKind;
  /** 1-based line of the entry in the file, for report locations (SARIF); never in the lockfile. */
  line?: number;
  /**
   * Lines of earlier entries under the same name in the same file: JSON parsers keep the last, so what a reviewer
   * reads first is not what runs. Never in the lockfile.
   */
  shadowedLines?: number[];
  /**
   * The entry's key path inside the file, where it is not `<top key>.<name>` (`mcp.servers.<name>`,
   * `context_servers.<name>`): what pin, wrap and unwrap edit. Never in the lockfile.
   */
  entry?: (string | number)[];
  /** Where the file sits: the project's (or named with --config) takes precedence over the user's. */
  scope?: 'project' | 'user' | 'explicit';
}

/**
 * One server as a config file defines it, variable references unexpanded. `env` and `headers` hold raw values
 * (possibly secrets): they are used to launch and never written to the lockfile or a report.
 */
export interface ServerSpec {
  name: string;
  origin: ConfigOrigin;
  transport: TransportKind;
  /** For `http`: fall back to SSE when the server does not speak streamable HTTP, as VS Code and Cursor do. */
  sseFallback?: boolean;
  command?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  envFile?: string;
  url?: string;
  headers?: Record<string, string>;
  /** A Claude Code plugin's folder, which `${CLAUDE_PLUGIN_ROOT}` names. */
  pluginRoot?: string;
  /** The entry launches `mcp-lock run` in front of this launch line (`mcp-lock wrap`); the lock is the unwrapped one. */
  wrapped?: { lockfile: string };
}
