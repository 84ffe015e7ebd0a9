import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { LockConnection } from './lock-connection.model.js';

@Resolver()
export class LockConnectionResolver {
  @Authorized()
  @Query(() => LockConnection, { description: 'Where and how locks reach the broker: shown with a new secret and put into the provisioning file.' })
  lockConnection(@Ctx() ctx: GraphQLContext): LockConnection {
    return LockConnection.from(ctx.services.lockConnection(ctx.requestOrigin));
  }
}
