/** Severities, lowest first. `--fail-on` compares against this order. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type FindingCode =
  | 'lockfile-signature-missing'
  | 'lockfile-signature-invalid'
  | 'lockfile-signer-untrusted'
  | 'server-added'
  | 'server-removed'
  | 'server-config-changed'
  | 'server-unreachable'
  | 'server-limit-exceeded'
  | 'server-info-changed'
  | 'server-instructions-changed'
  | 'server-capabilities-changed'
  | 'server-identity-mismatch'
  | 'server-era-mismatch'
  | 'server-secret-in-arguments'
  | 'server-duplicate-definition'
  | 'server-config-duplicate'
  | 'server-policy-refused'
  | 'server-name-confusable'
  | 'server-process-escaped'
  | 'server-permissions-changed'
  | 'package-unpinned'
  | 'package-unresolved'
  | 'package-version-changed'
  | 'package-integrity-mismatch'
  | 'package-files-changed'
  | 'package-unsigned'
  | 'package-signature-invalid'
  | 'package-provenance-missing'
  | 'package-provenance-changed'
  | 'package-dependencies-changed'
  | 'package-outdated'
  | 'package-version-mismatch'
  | 'package-vulnerable'
  | 'package-advisories-unchecked'
  | 'package-registry-mismatch'
  | 'tool-added'
  | 'tool-removed'
  | 'tool-description-changed'
  | 'tool-title-changed'
  | 'tool-schema-changed'
  | 'tool-output-schema-changed'
  | 'tool-annotations-changed'
  | 'tool-metadata-changed'
  | 'tool-renamed'
  | 'tool-shadowing'
  | 'tool-name-confusable'
  | 'tool-cross-reference'
  | 'tool-hidden-content'
  | 'tool-terminal-escape'
  | 'tool-suspicious-instructions'
  | 'tool-sensitive-reference'
  | 'tool-exfiltration-parameter'
  | 'prompt-added'
  | 'prompt-removed'
  | 'prompt-changed'
  | 'resource-added'
  | 'resource-removed'
  | 'resource-changed';

export interface FindingInfo {
  severity: Severity;
  /** A server with this finding was not (fully) checked: alone, it gives exit code 3, not 1. */
  unchecked?: true;
  /**
   * About how a server is configured, not about what it offers: `install` reports it without failing the act of
   * writing the lock; `verify` stays the gate.
   */
  advisory?: true;
  summary: string;
  /** More for the README's findings table (and SARIF's full description) than the one-line summary says. */
  details?: string;
}

/**
 * Default severity and meaning of every code. A Record keyed by the union, so a new code cannot ship without them.
 * The defaults fail CI (at `--fail-on low`) on any change to what the model reads; removals are low because
 * a model that sees less is not attacked by it, but the lock should still be brought up to date.
 */
export const FINDINGS: Record<FindingCode, FindingInfo> = {
  'lockfile-signature-missing': {
    severity: 'high',
    summary:
      'The lockfile has no signature, but one is required (--require-signature) or trust anchors were given.',
  },
  'lockfile-signature-invalid': {
    severity: 'critical',
    summary:
      'The lockfile signature does not match its content: the lockfile was changed after it was signed.',
  },
  'lockfile-signer-untrusted': {
    severity: 'critical',
    summary: 'The lockfile signature is by a key or identity the verifier does not trust.',
  },
  'server-added': {
    severity: 'high',
    summary: 'A configured server is not in the lockfile.',
    details: 'verify does not launch it: install pins it once reviewed',
  },
  'server-removed': { severity: 'low', summary: 'A locked server is no longer configured.' },
  'server-config-changed': {
    severity: 'high',
    summary: 'The launch line of a server (command, arguments, URL, variable names) changed.',
  },
  'server-unreachable': {
    severity: 'high',
    unchecked: true,
    summary: 'The server could not be started, connected to or listed.',
    details: 'the reason and the tail of its stderr are in the report; exit 3 when nothing else failed',
  },
  'server-limit-exceeded': {
    severity: 'high',
    summary: 'The server sent more than mcp-lock reads (pages, items or bytes): suspicious, and not pinned.',
    details: 'limits: 100 pages, 5,000 items, 8 MiB per message, 32 MiB per server',
  },
  'server-info-changed': {
    severity: 'low',
    summary: 'The server reports a different name, version or protocol version.',
  },
  'server-instructions-changed': {
    severity: 'high',
    summary: 'The server instructions (which clients may put into the system prompt) changed.',
  },
  'server-capabilities-changed': {
    severity: 'medium',
    summary: 'The server declares different capabilities.',
  },
  'server-identity-mismatch': {
    severity: 'high',
    summary:
      'The server offers different definitions to different clients: what one client reviewed is not what another gets.',
    details:
      'a server that answers mcp-lock benign and a real client poisoned is the attack this catches; the identities are those of the clients whose configs load the server',
  },
  'server-era-mismatch': {
    severity: 'high',
    summary:
      'The server offers different definitions in the two protocol eras (2026-07-28 server/discover and legacy initialize).',
    details: 'which one a client gets depends on the era it speaks',
  },
  'server-secret-in-arguments': {
    severity: 'medium',
    advisory: true,
    summary:
      'A launch argument carries a credential (a key, token or password flag): the lockfile stores it redacted.',
    details:
      'move the value into an env variable of the config (`"env": { "API_KEY": "${API_KEY}" }`): arguments show in process lists and shell history',
  },
  'server-duplicate-definition': {
    severity: 'high',
    summary:
      'The server lists one tool, prompt or resource name twice: which definition the model gets is up to the client.',
  },
  'server-config-duplicate': {
    severity: 'high',
    summary:
      'A config file defines one server name twice: clients run the last entry, while a reviewer may read the first.',
    details: 'the finding names the file and the lines of both entries',
  },
  'server-policy-refused': {
    severity: 'medium',
    summary:
      "The client's allow-list written from the lockfile (`mcp-lock policy`) would refuse this configured server: it would not start once the policy is deployed.",
    details:
      'checked with `verify --policy-for <client>`; the finding says which launch line or URL the policy allows',
  },
  'server-name-confusable': {
    severity: 'high',
    summary:
      'Server names that a person would take for the same (look-alike letters, mixed scripts, case, separators, spaces).',
    details:
      'e.g. `gіthub` with a Cyrillic `і` beside `github`: a config entry that passes for another in review',
  },
  'server-process-escaped': {
    severity: 'high',
    summary:
      'A process the server started outlived it (a daemon that left its process group): mcp-lock killed it.',
    details:
      'only a sandboxed launch can keep a server from starting one; without a sandbox, mcp-lock finds them by a marker in their environment',
  },
  'server-permissions-changed': {
    severity: 'info',
    summary:
      'What the server may do in its sandbox (network, extra read or write paths) changed, as granted on the command line.',
    details: 'recorded in the lockfile, so a reviewer sees every grant in the pull request',
  },
  'package-unpinned': {
    severity: 'medium',
    advisory: true,
    summary: 'The launch line names a range, a tag or no version: the client runs whatever is newest.',
  },
  'package-unresolved': {
    severity: 'high',
    unchecked: true,
    summary: "The server's package could not be resolved in its registry (unreachable, unknown version).",
  },
  'package-version-changed': {
    severity: 'high',
    summary: 'The launch line now resolves to another version than the one locked.',
  },
  'package-integrity-mismatch': {
    severity: 'critical',
    summary:
      'The artifact does not match its integrity, or the registry now serves other bytes for the locked version.',
    details: 'no decision accepts it',
  },
  'package-files-changed': {
    severity: 'high',
    summary: 'A local script, binary or package folder changed since it was locked: other code runs.',
    details: 'review the change, then `mcp-lock update` pins the new files',
  },
  'package-unsigned': {
    severity: 'medium',
    summary: 'The registry signs packages, but not this one (or no longer).',
  },
  'package-signature-invalid': {
    severity: 'critical',
    summary: 'The registry signature does not verify, or is by a key the registry does not publish.',
  },
  'package-provenance-missing': {
    severity: 'info',
    summary:
      'The registry signs this version, but it carries no build provenance: nobody vouches for where it was built.',
  },
  'package-provenance-changed': {
    severity: 'critical',
    summary:
      'The version lost the provenance the locked one had, or its provenance names another repository or workflow.',
  },
  'package-dependencies-changed': {
    severity: 'high',
    summary:
      'The dependency tree the pinned version installs today differs from the one locked: other code would run.',
  },
  'package-outdated': {
    severity: 'info',
    summary: 'A newer version is published than the one the launch line resolves to.',
  },
  'package-vulnerable': {
    severity: 'high',
    summary:
      "A package of the server's locked tree is at a version a published advisory covers (the advisory's severity; the fixed version when one is published).",
  },
  'package-advisories-unchecked': {
    severity: 'info',
    unchecked: true,
    summary:
      'The registry could not be asked for advisories (it has no advisory endpoint, or did not answer): not checked, which is not the same as none.',
  },
  'package-registry-mismatch': {
    severity: 'high',
    summary:
      "The project's server.json (MCP Registry description) names another version or file of the package than the one locked.",
  },
  'package-version-mismatch': {
    severity: 'medium',
    summary:
      'The server reports another published version of its package than the one locked: what the client runs may not be what was reviewed.',
  },
  'tool-added': { severity: 'high', summary: 'The server offers a tool that was not reviewed.' },
  'tool-removed': { severity: 'low', summary: 'A locked tool is no longer offered.' },
  'tool-description-changed': {
    severity: 'high',
    summary: 'A tool description (read by the model) changed: the classic rug pull.',
  },
  'tool-title-changed': { severity: 'medium', summary: 'A tool title changed.' },
  'tool-schema-changed': {
    severity: 'high',
    summary: 'A tool input schema changed (parameters and their descriptions are read by the model).',
    details: 'the finding names the path, e.g. `inputSchema.properties.city.description`',
  },
  'tool-output-schema-changed': { severity: 'medium', summary: 'A tool output schema changed.' },
  'tool-annotations-changed': {
    severity: 'medium',
    summary: 'Tool annotations (read-only, destructive, idempotent, open-world hints) changed.',
    details: 'e.g. `readOnlyHint` or `destructiveHint` flipped',
  },
  'tool-metadata-changed': {
    severity: 'low',
    summary: 'Other tool fields (icons, execution, _meta, unknown fields) changed.',
  },
  'tool-renamed': {
    severity: 'high',
    summary: 'A tool disappeared and one with (nearly) the same definition appeared under another name.',
    details: 'one finding, not a removal and an addition, for a tool at least 80% alike; it says how alike',
  },
  'tool-shadowing': {
    severity: 'high',
    summary:
      'Two servers that one client loads together offer the same tool name: which one runs is up to the client.',
    details:
      "across the files and scopes one client merges; lint where the client names each server's tools apart (Claude Code, Gemini CLI); also a tool named `mcp__<server>__<tool>` after another server's tool",
  },
  'tool-name-confusable': {
    severity: 'high',
    summary:
      'Tool names that a model or a person would take for the same (case, separators, look-alike letters, mixed scripts).',
    details:
      'case and separators (`read_file`/`readFile`), Unicode look-alikes (UTS #39 skeletons), mixed scripts',
  },
  'tool-cross-reference': {
    severity: 'high',
    summary:
      "A text names another server's tools or directs the model's use of other tools, or asks it to hide something from the user.",
    details:
      'directives (ignore earlier instructions, claims of system authority, standing orders, concealment, sending the conversation or secrets out, steering any tool another configured server offers) are looked for in every place a payload hides: descriptions, titles, schema enum/const/default/examples values, parameter and tool names read as words, the server name and title, resource names; in several languages; and as a model would read them decoded (look-alike letters, full-width forms, leetspeak, rot13, short base64, hex, HTML entities)',
  },
  'tool-hidden-content': {
    severity: 'high',
    summary: 'Invisible or deceptive characters, hidden comments or encoded blobs in text the model reads.',
    details:
      'Unicode tag characters (decoded and shown) and bidi controls are critical; zero-width, other format characters, variation-selector runs, HTML comments; base64 blobs are medium',
  },
  'tool-terminal-escape': {
    severity: 'high',
    summary: 'Control characters or terminal escape sequences, which can rewrite what a reviewer sees.',
    details: 'control characters and ESC/CSI/OSC sequences',
  },
  'tool-suspicious-instructions': {
    severity: 'info',
    summary:
      'Lint: instruction-like markup or imperatives aimed at the model (<IMPORTANT>, "you must first…").',
  },
  'tool-sensitive-reference': {
    severity: 'info',
    summary:
      'The text refers to secrets or key files (~/.ssh, .env, API keys); high when it asks the model to read or send one.',
    details:
      'high: a sentence that asks, in any supported language, to read, send or include a key file (`~/.ssh/id_rsa`, `.env`, `mcp.json`, `.aws/credentials`…) and does not forbid it; lint: a mention, or acting on keys and passwords',
  },
  'tool-exfiltration-parameter': {
    severity: 'info',
    summary:
      "A parameter that carries conversation data or file contents out; high when it asks for the conversation, the model's context or secrets.",
    details:
      'high: whatever its name, a parameter whose text asks for everything the user said, the chat history, the system prompt or the list of tools, or one the description fills with a key file; lint: a `sidenote`/`context`-style parameter the text asks to fill with data',
  },
  'prompt-added': { severity: 'medium', summary: 'The server offers a prompt that was not reviewed.' },
  'prompt-removed': { severity: 'low', summary: 'A locked prompt is no longer offered.' },
  'prompt-changed': { severity: 'high', summary: 'A prompt definition changed.' },
  'resource-added': { severity: 'medium', summary: 'The server offers a resource that was not reviewed.' },
  'resource-removed': { severity: 'low', summary: 'A locked resource is no longer offered.' },
  'resource-changed': {
    severity: 'medium',
    summary: 'A resource or resource template definition changed.',
    details: 'resources and resource templates alike',
  },
};

export interface Finding {
  code: FindingCode;
  severity: Severity;
  server: string;
  tool?: string;
  prompt?: string;
  resource?: string;
  /** Which field of the definition changed, e.g. `description` or `inputSchema.properties.path`. */
  field?: string;
  message: string;
  before?: unknown;
  after?: unknown;
  /** Set when a reviewed decision in the lockfile covers this finding: it is shown but does not fail the run. */
  accepted?: { reason: string; expires?: string };
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** Builds a finding with the code's default severity. */
export function finding(code: FindingCode, fields: Omit<Finding, 'code' | 'severity'>): Finding {
  return { code, severity: FINDINGS[code].severity, ...fields };
}
