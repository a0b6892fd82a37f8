import { finding, type Finding, type FindingCode } from './findings.js';
import {
  TOOL_FIELDS,
  type LockItem,
  type LockServer,
  type ToolEntry,
  type ToolField,
} from './lockfile/schema.js';
import { canonicalEqual } from './canonical.js';
import { changedPaths, describePaths } from './changed-paths.js';
import { compareSource } from './source-diff.js';
import { describeTextChange } from './checks/change-kind.js';
import { pairRenames } from './checks/rename.js';
import { comparePackage } from './package/compare.js';
import { own, setOwn } from './proto-keys.js';

const TOOL_FIELD_CODES: Record<ToolField, FindingCode> = {
  description: 'tool-description-changed',
  title: 'tool-title-changed',
  inputSchema: 'tool-schema-changed',
  outputSchema: 'tool-output-schema-changed',
  annotations: 'tool-annotations-changed',
};

function withoutToolFields(definition: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...definition };
  for (const field of [...TOOL_FIELDS, 'name']) delete rest[field];
  return rest;
}

/** For a text change, what kind of change it was (words, invisible characters, instructions added). */
function kind(before: unknown, after: unknown): string {
  return typeof before === 'string' && typeof after === 'string'
    ? ` (${describeTextChange(before, after)})`
    : '';
}

function compareTool(server: string, tool: string, locked: ToolEntry, live: ToolEntry): Finding[] {
  if (locked.digest === live.digest) return [];
  const out: Finding[] = [];
  for (const field of TOOL_FIELDS) {
    if (locked.fields[field] === live.fields[field]) continue;
    const before = locked.definition[field];
    const after = live.definition[field];
    const structured = field !== 'description' && field !== 'title';
    const paths = structured ? changedPaths(before, after, field) : [field];
    const verb = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    out.push(
      finding(TOOL_FIELD_CODES[field], {
        server,
        tool,
        field: paths.length === 1 ? paths[0]! : field,
        message: `tool ${tool}: ${field} ${verb}${structured ? ` (${describePaths(paths)})` : kind(before, after)}`,
        before,
        after,
      }),
    );
  }
  const restBefore = withoutToolFields(locked.definition);
  const restAfter = withoutToolFields(live.definition);
  if (!canonicalEqual(restBefore, restAfter)) {
    const paths = changedPaths(restBefore, restAfter);
    out.push(
      finding('tool-metadata-changed', {
        server,
        tool,
        field: describePaths(paths),
        message: `tool ${tool}: ${describePaths(paths)} changed`,
        before: restBefore,
        after: restAfter,
      }),
    );
  }
  return out;
}

type Kind = 'prompt' | 'resource';

function compareItems(
  server: string,
  kind: Kind,
  label: string,
  locked: Record<string, LockItem>,
  live: Record<string, LockItem>,
): Finding[] {
  const out: Finding[] = [];
  const subject = (key: string) => ({ [kind]: key }) as { prompt: string } | { resource: string };
  for (const [key, entry] of Object.entries(live)) {
    const old = own(locked, key);
    if (!old) {
      out.push(
        finding(`${kind}-added`, {
          server,
          ...subject(key),
          message: `${label} ${key} added`,
          after: entry.definition,
        }),
      );
    } else if (old.digest !== entry.digest) {
      const paths = changedPaths(old.definition, entry.definition);
      out.push(
        finding(`${kind}-changed`, {
          server,
          ...subject(key),
          field: describePaths(paths),
          message: `${label} ${key}: ${describePaths(paths)} changed`,
          before: old.definition,
          after: entry.definition,
        }),
      );
    }
    // A body is compared once the lock holds one: a lock made before bodies were pinned is not drift.
    if (old?.body && old.body.digest !== entry.body?.digest) {
      const paths = entry.body ? changedPaths(old.body.result, entry.body.result, 'body') : ['body'];
      out.push(
        finding(`${kind}-changed`, {
          server,
          ...subject(key),
          field: describePaths(paths),
          message: `${label} ${key}: ${entry.body ? `body changed (${describePaths(paths)})` : 'body can no longer be fetched'}`,
          before: old.body.result,
          after: entry.body?.result,
        }),
      );
    }
  }
  for (const [key, entry] of Object.entries(locked)) {
    if (!own(live, key)) {
      out.push(
        finding(`${kind}-removed`, {
          server,
          ...subject(key),
          message: `${label} ${key} removed`,
          before: entry.definition,
        }),
      );
    }
  }
  return out;
}

/** Everything that differs between a locked server and what it offers now, one finding per field. */
export function compareServer(server: string, locked: LockServer, live: LockServer): Finding[] {
  const out = [
    ...compareSource(server, locked.source, live.source),
    ...comparePackage(server, locked.package, live.package),
  ];
  if (locked.digest === live.digest) return out;

  const infoBefore = { protocolVersion: locked.protocolVersion, serverInfo: locked.serverInfo };
  const infoAfter = { protocolVersion: live.protocolVersion, serverInfo: live.serverInfo };
  if (!canonicalEqual(infoBefore, infoAfter)) {
    const paths = changedPaths(infoBefore, infoAfter);
    out.push(
      finding('server-info-changed', {
        server,
        field: describePaths(paths),
        message: `server identity changed (${describePaths(paths)})`,
        before: infoBefore,
        after: infoAfter,
      }),
    );
  }
  if (locked.instructions !== live.instructions) {
    out.push(
      finding('server-instructions-changed', {
        server,
        field: 'instructions',
        message: `server instructions ${locked.instructions === undefined ? 'added' : live.instructions === undefined ? 'removed' : 'changed'}`,
        before: locked.instructions,
        after: live.instructions,
      }),
    );
  }
  if (!canonicalEqual(locked.capabilities, live.capabilities)) {
    const paths = changedPaths(locked.capabilities, live.capabilities, 'capabilities');
    out.push(
      finding('server-capabilities-changed', {
        server,
        field: describePaths(paths),
        message: `capabilities changed (${describePaths(paths)})`,
        before: locked.capabilities,
        after: live.capabilities,
      }),
    );
  }

  // One pass each way: a server may have thousands of tools, nearly all unchanged.
  const added: Record<string, ToolEntry> = {};
  for (const [tool, entry] of Object.entries(live.tools)) {
    const old = own(locked.tools, tool);
    if (!old) setOwn(added, tool, entry);
    else if (old.digest !== entry.digest) out.push(...compareTool(server, tool, old, entry));
  }
  const removed: Record<string, ToolEntry> = {};
  for (const [tool, entry] of Object.entries(locked.tools))
    if (!own(live.tools, tool)) setOwn(removed, tool, entry);
  const renames = pairRenames(server, removed, added);
  out.push(...renames.findings);
  for (const [tool, entry] of Object.entries(added)) {
    if (renames.added.has(tool)) continue;
    out.push(finding('tool-added', { server, tool, message: `tool ${tool} added`, after: entry.definition }));
  }
  for (const [tool, entry] of Object.entries(removed)) {
    if (renames.removed.has(tool)) continue;
    out.push(
      finding('tool-removed', { server, tool, message: `tool ${tool} removed`, before: entry.definition }),
    );
  }
  out.push(...compareItems(server, 'prompt', 'prompt', locked.prompts, live.prompts));
  out.push(...compareItems(server, 'resource', 'resource', locked.resources, live.resources));
  out.push(
    ...compareItems(
      server,
      'resource',
      'resource template',
      locked.resourceTemplates,
      live.resourceTemplates,
    ),
  );
  return out;
}
