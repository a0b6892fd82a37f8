import { readdirSync, readFileSync } from 'node:fs';
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

/** The markers of launches not yet closed: on Ctrl-C, what they started outside their groups goes too. */
const markers = new Set<string>();

export function trackMarker(id: string): void {
  markers.add(id);
}

export function untrackMarker(id: string): void {
  markers.delete(id);
}

/** Synchronous, so it can run in an `exit` handler. */
export function killAllChildren(): void {
  for (const child of groups) signalGroup(child, 'SIGKILL');
  groups.clear();
  for (const id of markers) killMarked(id);
  markers.clear();
}

/** The environment variable that marks every process a launch started, so one that left the group can be found. */
export const LAUNCH_MARKER = 'MCP_LOCK_LAUNCH';

/**
 * Processes that carry a launch's marker in their environment (Linux: /proc/<pid>/environ), or null where that
 * cannot be looked at. A daemon that called `setsid` has left the process group, but not its environment.
 */
export function markedProcesses(id: string, exceptGroup?: number): number[] | null {
  if (process.platform !== 'linux') return null;
  const needle = Buffer.from(`\0${LAUNCH_MARKER}=${id}\0`);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${entry}/environ`)]);
      if (!environ.includes(needle)) continue;
      // Still in the group that was just killed: it is on its way out, not escaped.
      if (exceptGroup !== undefined && processGroup(entry) === exceptGroup) continue;
      found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

/** The process group of a process, from /proc/<pid>/stat (the field after the state, past the command's parentheses). */
function processGroup(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/** Kills what is still marked as started by this launch; returns how many there were (null: could not look). */
export function killMarked(id: string, exceptGroup?: number): number | null {
  const found = markedProcesses(id, exceptGroup);
  if (found === null) return null;
  for (const pid of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return found.length;
}

/**
 * Kills what is marked as started by this launch until nothing is left: a process killed while it was starting
 * another may have forked it a moment after the scan, so the scan is repeated. Returns how many distinct processes
 * there were (null: could not look).
 */
export async function killMarkedUntilGone(id: string, exceptGroup?: number): Promise<number | null> {
  const seen = new Set<number>();
  for (let round = 0; round < 5; round++) {
    const found = markedProcesses(id, exceptGroup);
    if (found === null) return null;
    // Nothing marked, nothing that could be starting anything: done at once.
    if (found.length === 0) break;
    for (const pid of found) {
      seen.add(pid);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return seen.size;
}
