import type { LockServer } from '../core/lockfile/schema.js';
import {
  gateInitialize,
  gateItems,
  gatePromptBody,
  type GateDecision,
  type GatedKind,
  type OnDrift,
} from '../core/proxy-gate.js';

type Json = Record<string, unknown>;

const LISTS: Record<string, { kind: GatedKind; key: string }> = {
  'tools/list': { kind: 'tools', key: 'tools' },
  'prompts/list': { kind: 'prompts', key: 'prompts' },
  'resources/list': { kind: 'resources', key: 'resources' },
  'resources/templates/list': { kind: 'resourceTemplates', key: 'resourceTemplates' },
};

const NOUN: Record<GateDecision['kind'], string> = {
  tools: 'tool',
  prompts: 'prompt',
  resources: 'resource',
  resourceTemplates: 'resource template',
  instructions: 'instructions',
  'prompt-body': 'prompt body',
};

export interface ViewOptions {
  server: string;
  locked: LockServer;
  lockDisplay: string;
  onDrift: OnDrift;
  secrets: readonly string[];
  warn: (text: string) => void;
}

/**
 * What the client has been shown of each list, held against the lockfile: lists are filtered as they pass, and a
 * call is allowed only for a name the current view passed. Each withheld, replaced or drifted item is announced once.
 */
export class LockedViews {
  private views: Record<GatedKind, Map<string, GateDecision>> = {
    tools: new Map(),
    prompts: new Map(),
    resources: new Map(),
    resourceTemplates: new Map(),
  };
  /** Whether the tool view reflects the server since its last `list_changed`. */
  toolsFresh = false;
  private readonly announced = new Set<string>();

  constructor(private readonly options: ViewOptions) {}

  /** Lists and the initialize result, as the client may see them. Only drift is kept in the decisions logged. */
  gate(method: string, firstPage: boolean, result: Json): { result: Json; decisions: GateDecision[] } {
    const { locked, onDrift, secrets } = this.options;
    // The handshake of either era carries the instructions the model reads before any tool.
    if (method === 'initialize' || method === 'server/discover') {
      const gated = gateInitialize(result, locked, secrets);
      this.announce(gated.decisions);
      return gated;
    }
    const list = LISTS[method];
    if (!list || !Array.isArray(result[list.key])) return { result, decisions: [] };
    if (firstPage) this.views[list.kind] = new Map();
    const view = this.views[list.kind];
    const gated = gateItems(
      list.kind,
      result[list.key] as unknown[],
      locked,
      onDrift,
      secrets,
      new Set(view.keys()),
    );
    for (const d of gated.decisions) view.set(d.name, d);
    if (list.kind === 'tools' && firstPage) this.toolsFresh = true;
    this.announce(gated.decisions);
    return {
      result: { ...result, [list.key]: gated.items },
      decisions: gated.decisions.filter((d) => d.status !== 'locked'),
    };
  }

  /** One page of mcp-lock's own re-list of the tools, added to the view being built. */
  gateToolPage(tools: readonly unknown[], view: Map<string, GateDecision>): void {
    const { locked, onDrift, secrets } = this.options;
    const gated = gateItems('tools', tools, locked, onDrift, secrets, new Set(view.keys()));
    for (const d of gated.decisions) view.set(d.name, d);
  }

  /** Makes a completed re-list the view calls are checked against; returns its drift. */
  replaceTools(view: Map<string, GateDecision>): GateDecision[] {
    this.views.tools = view;
    this.toolsFresh = true;
    const drift = [...view.values()].filter((d) => d.status !== 'locked');
    this.announce(drift);
    return drift;
  }

  hasTool(name: string): boolean {
    return this.views.tools.has(name);
  }

  withheldMessage(noun: string, name: string, status: string): string {
    const { lockDisplay, server } = this.options;
    const why =
      status === 'new'
        ? `is not in ${lockDisplay}`
        : status === 'duplicate'
          ? 'is listed twice by the server'
          : `differs from ${lockDisplay}`;
    return `mcp-lock: ${noun} "${name}" of server "${server}" is withheld: it ${why}. Review the change with \`mcp-lock diff ${server}\` and accept it with \`mcp-lock update ${server}\`.`;
  }

  /** Why a call of this tool may not go through, against the current view (brought up to date by the caller). */
  toolRefusal(name: string): string | undefined {
    const decision = this.views.tools.get(name);
    if (!decision) {
      return Object.hasOwn(this.options.locked.tools, name)
        ? `mcp-lock: tool "${name}" of server "${this.options.server}" is not offered by the server any more`
        : this.withheldMessage('tool', name, 'new');
    }
    return decision.action === 'withheld' ? this.withheldMessage('tool', name, decision.status) : undefined;
  }

  promptRefusal(name: string): string | undefined {
    const decision = this.views.prompts.get(name);
    if (decision?.action === 'withheld') return this.withheldMessage('prompt', name, decision.status);
    if (!decision && !Object.hasOwn(this.options.locked.prompts, name))
      return this.withheldMessage('prompt', name, 'new');
    return undefined;
  }

  /** Why a `prompts/get` result may not reach the client: its body differs from the one pinned. */
  promptBodyRefusal(name: string, args: unknown, result: Json): string | undefined {
    const decision = gatePromptBody(name, args, result, this.options.locked, this.options.secrets);
    if (!decision) return undefined;
    this.announce([decision]);
    return this.withheldMessage('prompt body', name, decision.status);
  }

  /** A line on stderr (the client's MCP log) the first time something is withheld, replaced or passed drifted. */
  private announce(decisions: readonly GateDecision[]): void {
    for (const d of decisions) {
      if (d.action === 'passed') continue;
      const key = `${d.kind}\u0000${d.name}\u0000${d.status}\u0000${d.action}`;
      if (this.announced.has(key)) continue;
      this.announced.add(key);
      const what = d.kind === 'instructions' ? 'the instructions' : `${NOUN[d.kind]} "${d.name}"`;
      const why =
        d.status === 'new' ? 'not in' : d.status === 'duplicate' ? 'listed twice; see' : 'changed since';
      this.options.warn(`${d.action} ${what}: ${why} ${this.options.lockDisplay}`);
    }
  }
}
