/**
 * Whether `pending` has failed already, as an async function that threw before its first await
 * does (a link that is down refuses a publish that way), found within one turn of microtasks:
 * no I/O and no other request runs meanwhile. A failure that comes later is not caught here: the
 * caller handles `pending` for that.
 */
export async function refusedAtOnce(pending: Promise<unknown>): Promise<{ error: unknown } | null> {
  try {
    await Promise.race([pending, Promise.resolve()]);
    return null;
  } catch (error) {
    return { error };
  }
}
