/**
 * graphql-ws does not acknowledge a subscription, and one is live only once the server has
 * subscribed to the event bus. Instead of sleeping, a test triggers numbered events until every
 * feed under test has received one.
 */
export async function untilLive(trigger: (n: number) => Promise<unknown>, arrived: (n: number, timeoutMs: number) => Promise<unknown>[], attempts = 20): Promise<void> {
  for (let n = 1; ; n++) {
    await trigger(n);
    try {
      await Promise.all(arrived(n, 250));
      return;
    } catch (error) {
      if (n >= attempts) throw error;
    }
  }
}
