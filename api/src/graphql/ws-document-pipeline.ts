/**
 * `parse`, `validate`, `execute` and `subscribe` for graphql-ws, applying the
 * same checks in the same order as the HTTP endpoint (operation-gate.ts), and
 * leaving out suggestions when introspection is off. Like Apollo's document
 * cache on HTTP, a query text seen before is neither parsed nor validated again.
 */
import {
  Kind,
  execute,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLError,
  type GraphQLSchema,
  type Source,
} from 'graphql';
import type { Config } from '../config/config.js';
import { abuseRules } from './limits.js';
import { makeSharedSubscribe } from './shared-subscription-results.js';
import { CACHEABLE_LENGTH, CACHE_SIZE, limitErrors, parseWithinLimit } from './operation-gate.js';

export function makeWsDocumentPipeline(limits: Config['graphql']) {
  const rules = abuseRules(limits);
  const hideSuggestions = !limits.introspection;
  const parsed = new Map<string, DocumentNode>();
  const verdicts = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  const sharedSubscribe = makeSharedSubscribe(execute);
  return {
    /**
     * graphql-ws turns a throw here into closing the socket with 4500, so a
     * rejected text becomes an empty document that `validate` answers with its errors.
     */
    parse(source: string | Source): DocumentNode {
      const text = typeof source === 'string' ? source : source.body;
      const known = parsed.get(text);
      if (known) return known;
      const admission = parseWithinLimit(text, limits.maxTokens);
      if (admission.errors) {
        const rejected: DocumentNode = { kind: Kind.DOCUMENT, definitions: [] };
        verdicts.set(rejected, admission.errors);
        return rejected;
      }
      if (text.length <= CACHEABLE_LENGTH) {
        if (parsed.size >= CACHE_SIZE) parsed.clear();
        parsed.set(text, admission.document);
      }
      return admission.document;
    },
    validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
      let errors = verdicts.get(document);
      if (!errors) {
        const overLimits = limitErrors(schema, document, rules);
        errors = overLimits.length > 0 ? overLimits : validate(schema, document, specifiedRules, { hideSuggestions });
        verdicts.set(document, errors);
      }
      return errors;
    },
    execute: (args: ExecutionArgs) => execute({ ...args, hideSuggestions }),
    // graphql-js's `subscribe`, except that an answer made of the event's own data is built once per event (shared-subscription-results.ts).
    subscribe: (args: ExecutionArgs) => sharedSubscribe({ ...args, hideSuggestions }),
  };
}
