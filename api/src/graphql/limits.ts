/**
 * Abuse limits applied identically to HTTP and WebSocket operations: depth,
 * aliases and cost (graphql-armor's validation rules), plus no introspection
 * and no "Did you mean …" suggestions when introspection is off.
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type Source,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config/config.js';

// Armor throws by default, which servers treat as an internal error; report a validation error instead.
const report = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

export function abuseRules(limits: Config['graphql']): ValidationRule[] {
  const rules: ValidationRule[] = [
    // Introspection stays exempt: GraphiQL's own introspection query is deep by design.
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
    costLimitRule({ maxCost: limits.maxCost, ignoreIntrospection: true, ...report }),
  ];
  if (!limits.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}

const SUGGESTION = / ?Did you mean .*\?$/;

/** Removes field/type suggestions that would leak schema details. */
export function withoutSuggestions(error: GraphQLError): GraphQLError {
  if (!SUGGESTION.test(error.message)) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ''), { nodes: error.nodes, extensions: error.extensions });
}

const CACHE_SIZE = 500;

/**
 * `parse` and `validate` for graphql-ws, applying the same rules as the HTTP
 * endpoint. Like Apollo's document cache on HTTP, a query text seen before is
 * neither parsed nor validated again (clients resend the same few operations).
 */
export function makeWsDocumentPipeline(limits: Config['graphql']) {
  const rules = [...specifiedRules, ...abuseRules(limits)];
  const parsed = new Map<string, DocumentNode>();
  const verdicts = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  return {
    parse(source: string | Source): DocumentNode {
      if (typeof source !== 'string') return parse(source);
      let document = parsed.get(source);
      if (!document) {
        document = parse(source);
        if (parsed.size >= CACHE_SIZE) parsed.clear();
        parsed.set(source, document);
      }
      return document;
    },
    validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
      let errors = verdicts.get(document);
      if (!errors) {
        const found = validate(schema, document, rules);
        errors = limits.introspection ? found : found.map(withoutSuggestions);
        verdicts.set(document, errors);
      }
      return errors;
    },
  };
}
