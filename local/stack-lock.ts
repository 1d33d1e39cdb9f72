// One local stack per data dir. The lock file holds the owner's pid AND its start time (from /proc/<pid>/stat):
// a process killed with `kill -9` (dead, or a zombie its parent has not reaped) or a pid the kernel has since given
// to another process does not hold the lock. Created with O_EXCL, so two stacks starting at once cannot both win.
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface LockOwner {
  pid: number;
  /** Clock ticks since boot when the process started (field 22 of /proc/<pid>/stat); null off Linux. */
  startTime: string | null;
}

export function lockFilePath(dataDir: string): string {
  return join(dataDir, "stack.lock");
}

/** State and start time of a process from /proc, or null when /proc has no such process (or no /proc). */
function procStat(pid: number): { state: string; startTime: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const state = fields[0];
    const startTime = fields[19];
    return state && startTime ? { state, startTime } : null;
  } catch {
    return null;
  }
}

export function processStartTime(pid: number): string | null {
  return procStat(pid)?.startTime ?? null;
}

/**
 * Whether this pid still is the process that took the lock: running (not a zombie or dead), and, when the start
 * time is known, started at the same moment (else the pid was reused).
 */
export function isOwnerAlive(owner: LockOwner): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  const stat = procStat(owner.pid);
  if (stat) {
    if (stat.state === "Z" || stat.state === "X") return false;
    return owner.startTime === null || owner.startTime === stat.startTime;
  }
  if (existsSync("/proc/self/stat")) return false; // Linux, and no such process
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown; startTime?: unknown };
    if (typeof v.pid !== "number") return null;
    return { pid: v.pid, startTime: typeof v.startTime === "string" ? v.startTime : null };
  } catch {
    return null;
  }
}

/**
 * Takes the data dir's lock for this process; throws when a live stack holds it. A stale lock (dead, zombie or
 * reused pid; unreadable file) is replaced. Returns the release function.
 */
export function acquireStackLock(dataDir: string): () => void {
  const path = lockFilePath(dataDir);
  const me: LockOwner = { pid: process.pid, startTime: processStartTime(process.pid) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, `${JSON.stringify(me)}\n`);
      closeSync(fd);
      return () => {
        const owner = readOwner(path);
        if (owner?.pid === me.pid && owner.startTime === me.startTime) rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = readOwner(path);
    if (owner && owner.pid !== process.pid && isOwnerAlive(owner)) {
      throw new Error(`a lockdesk stack (pid ${owner.pid}) is already running on ${dataDir}`);
    }
    rmSync(path, { force: true }); // stale: its process is gone (or it is ours from an earlier stack)
  }
  throw new Error(`could not take the lock ${path}`);
}
