/** mcp-lock as a library: the commands (one function each), the pure core, and the renderers. */
export { install, type InstallOptions } from './commands/install.js';
export { update } from './commands/update.js';
export { verify, type VerifyOptions } from './commands/verify.js';
export { list } from './commands/ls.js';
export { outdated, type OutdatedOptions } from './commands/outdated.js';
export { pin, type PinOptions } from './commands/pin.js';
export { accept, type AcceptOptions } from './commands/accept.js';
export { allowSampling, type AllowSamplingOptions } from './commands/allow-sampling.js';
export { keygen, type KeygenOptions } from './commands/keygen.js';
export { sign, type SignOptions } from './commands/sign.js';
export { runProxy, type ProxyOptions } from './commands/run.js';
export { wrap, unwrap, type WrapOptions } from './commands/wrap.js';
export type { ScopeOptions, GateOptions, ObserveOptions } from './commands/options.js';
export { DEFAULT_CLIENT } from './observe/client-identity.js';
export { McpLockError, ERROR_CODES, type ErrorCode } from './errors.js';
export { canonicalize, digest } from './core/canonical.js';
export { FINDINGS, SEVERITIES, type Finding, type FindingCode, type Severity } from './core/findings.js';
export { exitCode, summarise, EXIT, type FailOn, type Summary } from './core/policy.js';
export { compareServer } from './core/diff.js';
export { parseLockfile } from './core/lockfile/parse.js';
export { serializeLockfile } from './core/lockfile/serialize.js';
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
export type { Report, ServerReport, ErrorReport } from './report/model.js';
