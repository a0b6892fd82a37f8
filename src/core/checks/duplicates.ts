import { finding, type Finding } from '../findings.js';
import type { LockItem } from '../lockfile/schema.js';
import type { ServerView } from './types.js';

const KINDS = [
  ['tools', 'name', 'tool'],
  ['prompts', 'name', 'prompt'],
  ['resources', 'uri', 'resource'],
  ['resourceTemplates', 'uriTemplate', 'resource'],
] as const;

/**
 * server-duplicate-definition: a name listed twice. The lock keeps both definitions (the second under a marked key,
 * whose key is then not its name), so a reviewer sees both; a client shows the model one of them, its choice.
 */
export function duplicateDefinitions(servers: readonly ServerView[]): Finding[] {
  const out: Finding[] = [];
  for (const { name: server, entry } of servers) {
    for (const [kind, identity, subject] of KINDS) {
      const items: Record<string, LockItem> = entry[kind];
      for (const [key, item] of Object.entries(items)) {
        const id = item.definition[identity];
        if (typeof id !== 'string' || id === key) continue;
        out.push(
          finding('server-duplicate-definition', {
            server,
            [subject]: id,
            field: identity,
            message: `${subject === 'resource' ? kind.replace(/s$/, '').replace('resourceTemplate', 'resource template') : subject} ${id} is listed more than once (also kept as "${key}")`,
          }),
        );
      }
    }
  }
  return out;
}
