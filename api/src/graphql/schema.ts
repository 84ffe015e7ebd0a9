import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuthResolver } from '../auth/auth.resolver.js';
import { UsersResolver } from '../auth/users.resolver.js';
import { authChecker } from './auth-checker.js';

export const resolvers = [AuthResolver, UsersResolver] as const;

export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, authChecker, validate: false });
}

/** The committed `schema.graphql`: sorted so that its diff shows only real changes. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `# Generated from the api's code by \`npm run schema\`. Do not edit: npm test fails when it is stale.\n\n${printSchema(
    lexicographicSortSchema(schema),
  )}\n`;
}
