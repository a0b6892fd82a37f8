import type { ChildProcess } from 'node:child_process';

/**
 * Every server process group mcp-lock started and has not yet reaped. The CLI kills them all on Ctrl-C and at exit:
 * a server is untrusted code, and a grandchild behind `npx` or `uvx` must not outlive the run.
 */
const groups = new Set<ChildProcess>();

export function trackChild(child: ChildProcess): void {
  groups.add(child);
}

export function untrackChild(child: ChildProcess): void {
  groups.delete(child);
}

/** Signals the child's whole process group (POSIX: the child leads its own group); the child alone elsewhere. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Synchronous, so it can run in an `exit` handler. */
export function killAllChildren(): void {
  for (const child of groups) signalGroup(child, 'SIGKILL');
  groups.clear();
}
