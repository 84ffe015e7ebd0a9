import { Authorized, Resolver, Root, Subscription } from 'type-graphql';
import type { AppEvents } from './events.js';
import { Resync } from './resync.model.js';

/**
 * A separate subscription rather than a marker inside `lockChanged` and the others: their types stay
 * as they are for existing clients, and one `resync` covers every live view a client keeps.
 */
@Resolver()
export class ResyncResolver {
  @Authorized()
  @Subscription(() => Resync, {
    description:
      'Sent when live events may have been lost between api replicas (Redis was unreachable): reload state, e.g. `locks`. Never sent by a single api without Redis.',
    topics: 'bus.resync',
  })
  resync(@Root() event: AppEvents['bus.resync']): Resync {
    return Resync.from(event);
  }
}
