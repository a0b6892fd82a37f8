import type { CommandName } from '../report/model.js';
import type { CommandDefinition } from './definition.js';

/**
 * Every command, one module each, named after it. Loaded on use: `mcp-lock ls` should not pay for the MCP SDK, and
 * `mcp-lock run` (which lives as long as the client's session) should not hold the other commands.
 */
export const COMMANDS: Record<CommandName, () => Promise<CommandDefinition>> = {
  install: async () => (await import('./install.js')).installCommand as CommandDefinition,
  update: async () => (await import('./update.js')).updateCommand as CommandDefinition,
  verify: async () => (await import('./verify.js')).verifyCommand as CommandDefinition,
  diff: async () => (await import('./verify.js')).diffCommand as CommandDefinition,
  ls: async () => (await import('./ls.js')).lsCommand as CommandDefinition,
  outdated: async () => (await import('./outdated.js')).outdatedCommand as CommandDefinition,
  audit: async () => (await import('./audit.js')).auditCommand as CommandDefinition,
  policy: async () => (await import('./policy.js')).policyCommand as CommandDefinition,
  pin: async () => (await import('./pin.js')).pinCommand as CommandDefinition,
  accept: async () => (await import('./accept.js')).acceptCommand as CommandDefinition,
  'allow-sampling': async () =>
    (await import('./allow-sampling.js')).allowSamplingCommand as CommandDefinition,
  keygen: async () => (await import('./keygen.js')).keygenCommand as CommandDefinition,
  sign: async () => (await import('./sign.js')).signCommand as CommandDefinition,
  run: async () => (await import('./run.js')).runCommand as CommandDefinition,
  wrap: async () => (await import('./wrap.js')).wrapCommand as CommandDefinition,
  unwrap: async () => (await import('./wrap.js')).unwrapCommand as CommandDefinition,
};

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}
