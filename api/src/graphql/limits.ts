/**
 * Abuse limits applied identically to HTTP and WebSocket operations: depth,
 * aliases and cost (graphql-armor's validation rules), plus no introspection
 * and no "Did you mean …" suggestions when introspection is off. The token
 * limit and the order of the checks are in operation-gate.ts.
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext, type ValidationRule } from 'graphql';
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

/**
 * Removes a "Did you mean …?" suggestion, which would leak schema names. graphql-js
 * can leave them out itself (`hideSuggestions`) where it is handed the option; this
 * catches the places it is not (Apollo does not pass it to variable coercion).
 */
export function stripSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}
