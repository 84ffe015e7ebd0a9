/**
 * Keeps this process busy in promise continuations only: no timer, I/O or tick runs meanwhile.
 * What a lock message's ordered handling or a resolver's tail looks like to the event loop.
 */
export async function busyWithoutYielding(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) await Promise.resolve();
}
