/** Relay-style connections: `edges { cursor node }` and `pageInfo { hasNextPage endCursor }`. */
import { Field, ObjectType, type ClassType } from 'type-graphql';
import { BadUserInputError } from '../errors/graphql-errors.js';
import type { Page } from '../store/records.js';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** Declares `<Name>Edge` and `<Name>Connection` types for a node type. */
export function connectionOf<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor: string;

    @Field(() => nodeType)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;
  }
  return ConnectionType;
}

export const MAX_PAGE = 100;

export function pageSize(first: number | undefined | null): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE}.`, 'first');
  return size;
}

/**
 * Stores issue one cursor per page (after its last item); each edge carries
 * the cursor that resumes right after it, computed by `cursorAfter`.
 */
export function toConnection<R, T>(page: Page<R>, map: (record: R) => T, cursorAfter: (record: R) => string): Connection<T> {
  const pageInfo = Object.assign(new PageInfo(), { hasNextPage: page.hasNextPage, endCursor: page.endCursor });
  return { edges: page.items.map((item) => ({ cursor: cursorAfter(item), node: map(item) })), pageInfo };
}
