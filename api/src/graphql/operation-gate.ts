/**
 * The cheap checks every GraphQL operation passes before schema validation, in
 * order of cost: token count, parse, then depth, aliases and cost (plus no
 * introspection when it is off). Schema validation is superlinear in the worst
 * case (overlapping-fields comparisons), so it only ever sees documents of
 * bounded size that already passed the linear limits.
 */
import { GraphQLError, Lexer, Source, TokenKind, parse, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Config } from '../config/config.js';
import { abuseRules } from './limits.js';

export type Admission = { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: readonly GraphQLError[] };

/** Query texts longer than this are checked but not remembered (a cache holds at most CACHE_SIZE of them). */
export const CACHEABLE_LENGTH = 16 * 1024;
export const CACHE_SIZE = 500;

/** True when `source` has more than `max` tokens; stops lexing at max + 1. */
export function exceedsTokens(source: string, max: number): boolean {
  const lexer = new Lexer(new Source(source));
  for (let count = 0; count <= max; count++) {
    if (lexer.advance().kind === TokenKind.EOF) return false;
  }
  return true;
}

export class QueryTooLargeError extends GraphQLError {
  constructor(maxTokens: number) {
    super(`The query has more than ${maxTokens} tokens, the limit; send a smaller query.`, { extensions: { code: 'QUERY_TOO_LARGE', maxTokens } });
  }
}

function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

/** Step 1 and 2: the token count, then the parse (itself bounded by the same count). */
export function parseWithinLimit(source: string, maxTokens: number): Admission {
  if (exceedsTokens(source, maxTokens)) return { errors: [new QueryTooLargeError(maxTokens)] };
  try {
    return { document: parse(source, { maxTokens }) };
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [coded(error, 'GRAPHQL_PARSE_FAILED')] };
    throw error;
  }
}

/** Step 3: depth, aliases and cost, linear in the document's size. */
export function limitErrors(schema: GraphQLSchema, document: DocumentNode, rules: readonly ValidationRule[]): GraphQLError[] {
  return validate(schema, document, rules).map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
}

export interface OperationGate {
  admit(source: string): Admission;
}

/** Steps 1 to 3 for a query text, remembering the texts it admitted (clients resend the same few). */
export function createOperationGate(schema: GraphQLSchema, limits: Config['graphql']): OperationGate {
  const rules = abuseRules(limits);
  // Only admitted documents are remembered: a rejection is cheap to repeat, and attackers vary their texts.
  const admitted = new Map<string, DocumentNode>();

  function check(source: string): Admission {
    const parsed = parseWithinLimit(source, limits.maxTokens);
    if (!parsed.document) return parsed;
    const errors = limitErrors(schema, parsed.document, rules);
    return errors.length > 0 ? { errors } : parsed;
  }

  return {
    admit(source) {
      const known = admitted.get(source);
      if (known) return { document: known };
      const admission = check(source);
      if (admission.document && source.length <= CACHEABLE_LENGTH) {
        if (admitted.size >= CACHE_SIZE) admitted.clear();
        admitted.set(source, admission.document);
      }
      return admission;
    },
  };
}
