import type { Report } from '../report/model.js';
import { defineCommand, names } from './definition.js';
import { LOCKING_PARAMS, lockingOptions, lockServers, type InstallOptions } from './install.js';

/** `update`: install's pipeline, accepting the live state of every selected server as the new pin. */
export function update(options: InstallOptions): Promise<Report> {
  return lockServers('update', options);
}

export const updateCommand = defineCommand({
  name: 'update',
  summary: 'show what changed and accept the live state as the new pin',
  args: [{ name: '[servers...]', description: 'only these servers' }],
  params: LOCKING_PARAMS,
  launchesServers: true,
  run: ({ args, params, io }) => update(lockingOptions(params, names(args[0]), io)),
});
