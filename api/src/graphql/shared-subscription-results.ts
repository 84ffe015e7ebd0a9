/**
 * graphql-js executes a subscription's selection once per event and per subscriber. Ten admins'
 * fleet dashboards with the same query would build the same answer ten times for every change.
 * Here a subscription whose selection reads only the event's own data (fields listed below, the
 * same for every viewer allowed to receive the event) is executed once per event, document and
 * variables, and that result is handed to each of those subscribers. Who receives the event is
 * unchanged: each subscription's own source stream (with its visibility check) decides; only the
 * building of the answer is shared. Any other field in the document, anywhere, and the operation
 * is executed per subscriber as before.
 */
import {
  BREAK,
  OperationTypeNode,
  TypeInfo,
  createSourceEventStream,
  getOperationAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';

/**
 * Fields whose value comes from the event alone: plain properties of the record, never a field
 * resolver that reads the viewer (e.g. `Lock.myRole`, `myShare`, `settings`, `lastChangedBy`).
 * Held by shared-subscription-results.test.ts, which executes them with a context that throws
 * when read. The root field must check no more than "signed in" (`@Authorized()` without roles).
 */
export const VIEWER_INDEPENDENT_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  Subscription: new Set(['lockChanged']),
  Lock: new Set([
    'deviceId', 'name', 'owner', 'status', 'state', 'online', 'lastSeen', 'issue', 'battery', 'power', 'heartbeatSeconds',
    'lowBattery', 'rssi', 'firmware', 'door', 'boltMotion', 'lastChangeSource', 'lastChangedAt', 'timeZone', 'createdAt', 'updatedAt',
  ]),
  LockOwner: new Set(['username']),
};

/** Whether every field the document selects (any operation, any fragment) is viewer-independent. */
export function readsOnlyEventData(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): boolean {
  if (getOperationAST(document, operationName)?.operation !== OperationTypeNode.SUBSCRIPTION) return false;
  const typeInfo = new TypeInfo(schema);
  let independent = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.name.value === '__typename') return undefined;
        const parent = typeInfo.getParentType();
        if (parent && VIEWER_INDEPENDENT_FIELDS[parent.name]?.has(node.name.value)) return undefined;
        independent = false;
        return BREAK;
      },
    }),
  );
  return independent;
}

type Execute = (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;

/** `source` with each value mapped; `return()` closes the source at once (an ended subscription lets go of the bus). */
function mapEvents<T, R>(source: AsyncIterator<T>, map: (value: T) => R | Promise<R>): AsyncIterableIterator<R> {
  const mapped: AsyncIterableIterator<R> = {
    async next() {
      const result = await source.next();
      return result.done ? { done: true, value: undefined } : { done: false, value: await map(result.value) };
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}

/** graphql-js's `subscribe`, executing shareable subscriptions once per event (see the file comment). */
export function makeSharedSubscribe(run: Execute) {
  const shareable = new WeakMap<DocumentNode, Map<string, boolean>>();
  /** event payload -> document -> operation + variables -> its answer (dropped with the event). */
  const answers = new WeakMap<object, WeakMap<DocumentNode, Map<string, ExecutionResult | Promise<ExecutionResult>>>>();

  const isShareable = (args: ExecutionArgs): boolean => {
    let byOperation = shareable.get(args.document);
    if (!byOperation) shareable.set(args.document, (byOperation = new Map<string, boolean>()));
    const operation = args.operationName ?? '';
    let verdict = byOperation.get(operation);
    if (verdict === undefined) byOperation.set(operation, (verdict = readsOnlyEventData(args.schema, args.document, args.operationName)));
    return verdict;
  };

  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream; // the subscription was refused: its errors
    const source = stream[Symbol.asyncIterator]();
    const own = (payload: unknown) => run({ ...args, rootValue: payload });
    if (!isShareable(args)) return mapEvents(source, own);
    const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
    return mapEvents(source, (payload) => {
      if (typeof payload !== 'object' || payload === null) return own(payload);
      let byDocument = answers.get(payload);
      if (!byDocument) answers.set(payload, (byDocument = new WeakMap()));
      let byKey = byDocument.get(args.document);
      if (!byKey) byDocument.set(args.document, (byKey = new Map<string, ExecutionResult | Promise<ExecutionResult>>()));
      let answer = byKey.get(key);
      if (!answer) byKey.set(key, (answer = own(payload)));
      return answer;
    });
  };
}

