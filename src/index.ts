/** mcp-lock as a library: the commands, the pure core, and the renderers. */
export { install, update, verify, list, DEFAULT_CLIENT, type RunOptions } from './run/index.js';
export { McpLockError, type ErrorCode } from './errors.js';
export { canonicalize, digest } from './core/canonical.js';
export { FINDINGS, SEVERITIES, type Finding, type FindingCode, type Severity } from './core/findings.js';
export { exitCode, EXIT, type FailOn } from './core/policy.js';
export { compareServer } from './core/diff.js';
export { parseLockfile, serializeLockfile } from './core/lockfile/parse.js';
export {
  LockfileSchema,
  lockfileJsonSchema,
  type Lockfile,
  type LockServer,
} from './core/lockfile/schema.js';
export { parseConfig } from './config/parse.js';
export { snapshotServer } from './connect/snapshot-server.js';
export { renderHuman } from './report/human.js';
export { renderJson } from './report/json.js';
export type { Report, ServerReport } from './report/model.js';
