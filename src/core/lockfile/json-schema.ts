import { toJSONSchema } from '../zod.js';
import { LockfileSchema } from './schema.js';

// Apart from the schema itself: the JSON Schema generator is a large part of zod that no command needs.

/** The JSON Schema of the lockfile (draft 2020-12), as committed in schemas/mcp-lock.schema.json. */
export function lockfileJsonSchema(): Record<string, unknown> {
  return {
    $id: 'mcp-lock.schema.json',
    title: 'mcp-lock lockfile',
    ...toJSONSchema(LockfileSchema, { target: 'draft-2020-12' }),
  };
}
