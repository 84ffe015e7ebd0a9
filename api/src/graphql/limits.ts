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
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
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

/** A `validate` for graphql-ws that applies the same rules as the HTTP endpoint. */
export function makeValidator(limits: Config['graphql']) {
  const rules = [...specifiedRules, ...abuseRules(limits)];
  return (schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] => {
    const errors = validate(schema, document, rules);
    return limits.introspection ? errors : errors.map(withoutSuggestions);
  };
}
