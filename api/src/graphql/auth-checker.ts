import type { AuthChecker } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { ForbiddenError, UnauthenticatedError } from '../errors/graphql-errors.js';

/** `@Authorized()` needs a viewer; `@Authorized('ADMIN')` an admin. Throws typed errors with fixed codes. */
export const authChecker: AuthChecker<GraphQLContext> = ({ context }, roles) => {
  if (!context.viewer) {
    throw new UnauthenticatedError(context.tokenRejected ? 'Your session has expired. Sign in again.' : 'Sign in to do this.');
  }
  if (roles.length > 0 && !roles.includes(context.viewer.user.role)) throw new ForbiddenError();
  return true;
};

/** The whole viewer (the user and the session line asking), for resolvers behind `@Authorized()`. */
export function sessionViewerOf(context: GraphQLContext) {
  if (!context.viewer) throw new UnauthenticatedError();
  return context.viewer;
}

/** The signed-in user, for resolvers behind `@Authorized()`. */
export function viewerOf(context: GraphQLContext) {
  if (!context.viewer) throw new UnauthenticatedError();
  return context.viewer.user;
}
