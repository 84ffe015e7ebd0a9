import type { RequestHandler } from 'express';
import type { OperationGate } from '../graphql/operation-gate.js';
import type { Metrics } from '../observability/metrics.js';

/**
 * Runs the operation gate (token count, parse, depth/aliases/cost) before
 * Apollo, so that a query over a limit is answered 400 without being
 * validated against the schema nor costing a context (a token lookup).
 * Anything that is not a query text (a batch, a missing query) is left to Apollo.
 */
export function gateOperations(gate: OperationGate, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const query: unknown = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string') return next();
    const { errors } = gate.admit(query);
    if (!errors) return next();
    const code = errors[0]?.extensions.code;
    metrics.graphqlOperations.inc({ operation: 'invalid', type: 'unknown', outcome: typeof code === 'string' ? code : 'error' });
    res.status(400).json({ errors: errors.map((error) => error.toJSON()) });
  };
}
