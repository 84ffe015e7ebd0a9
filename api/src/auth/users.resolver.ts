import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { Role, User } from './user.model.js';

@Resolver()
export class UsersResolver {
  @Authorized('ADMIN')
  @Query(() => [User], { description: 'Every user (admin only).' })
  async users(@Ctx() ctx: GraphQLContext): Promise<User[]> {
    return (await ctx.services.users.list()).map((u) => User.from(u));
  }

  @Authorized('ADMIN')
  @Mutation(() => User, { description: "Changes another user's role (admin only; not your own)." })
  async setUserRole(
    @Arg('username') username: string,
    @Arg('role', () => Role) role: Role,
    @Ctx() ctx: GraphQLContext,
  ): Promise<User> {
    return User.from(await ctx.services.users.setRole(viewerOf(ctx), username, role));
  }
}
