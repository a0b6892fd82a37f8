// Writes schemas/mcp-lock.schema.json from the zod declaration in src/core/lockfile/schema.ts (built to dist/).
import { writeFileSync } from 'node:fs';
import { lockfileJsonSchema } from '../dist/core/lockfile/schema.js';

writeFileSync(
  new URL('../schemas/mcp-lock.schema.json', import.meta.url),
  JSON.stringify(lockfileJsonSchema(), null, 2) + '\n',
);
console.log('wrote schemas/mcp-lock.schema.json');
