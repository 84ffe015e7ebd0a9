/**
 * A deadline for an answer that comes over I/O (a broker's PUBACK, a child process's message).
 *
 * Node runs the timers that are due before it reads the I/O that queued meanwhile. After this
 * thread has stalled past `ms` (a long synchronous job, a GC pause), a plain `setTimeout` would
 * declare the answer missing while that answer already waits to be read. So the deadline decides
 * one turn later, after that I/O: `onMissed` runs only if `clear()` was not called by then.
 */
export interface Deadline {
  clear(): void;
}

export function startDeadline(ms: number, onMissed: () => void): Deadline {
  let cleared = false;
  const timer = setTimeout(() => setImmediate(() => cleared || onMissed()), ms);
  return {
    clear() {
      cleared = true;
      clearTimeout(timer);
    },
  };
}
