/** Orchestration: the edges read, the core decides, the report renders. One file per command. */
export { DEFAULT_CLIENT, LOCKFILE_SCHEMA_REF, type RunOptions } from './context.js';
export { install, update } from './pin.js';
export { verify } from './verify.js';
export { list } from './list.js';
export { accept, allowSampling, type AcceptOptions, type AllowSamplingOptions } from './accept.js';
export { runProxy, type ProxyOptions } from './proxy.js';
export { keygen, sign } from './sign.js';
export { pinConfigs } from './pin-configs.js';
export { outdated } from './outdated.js';
export { wrap, unwrap, type WrapOptions } from './wrap.js';
