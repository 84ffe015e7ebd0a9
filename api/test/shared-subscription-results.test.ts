/**
 * One answer per event for subscriptions made of the event's own data (issue 17, item 4;
 * graphql/shared-subscription-results.ts): the listed fields read nothing of the viewer, an answer
 * is shared only between subscriptions of the same document and variables, and a document with a
 * per-viewer field (`myRole`) is still answered per viewer, through the real api and graphql-ws.
 */
import { execute, parse, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Client } from 'graphql-ws';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../src/events/memory-event-bus.js';
import { buildAppSchema } from '../src/graphql/schema.js';
import { makeSharedSubscribe, readsOnlyEventData, VIEWER_INDEPENDENT_FIELDS } from '../src/graphql/shared-subscription-results.js';
import type { LockRecord } from '../src/store/records.js';
import { gql, SIGN_IN, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { onlineRawLock, publishStatus, signedStatus } from '../src/test-support/raw-lock.js';
import type { Registered } from '../src/test-support/locks.js';
import { subscribed } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let alice: AuthResult;
let admin: AuthResult;
let lock: Registered;
let lockClient: MqttClient;
let record: LockRecord;
let schema: GraphQLSchema;
const bus = new MemoryEventBus();
const clients: Client[] = [];

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  alice = await signUp(app.httpUrl, 'alice');
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  ({ lock, client: lockClient } = await onlineRawLock(app, alice.accessToken));
  record = (await app.services.store.locks.findByDeviceId(lock.deviceId))!;
  schema = await buildAppSchema(bus);
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await lockClient.endAsync(true).catch(() => undefined);
  await app.close();
});

const EVERY_LISTED_FIELD = `subscription { lockChanged { __typename ${[...VIEWER_INDEPENDENT_FIELDS.Lock!].filter((f) => f !== 'owner').join(' ')} owner { username } } }`;

/** A context that records which of its members were read: the listed fields may read none but the auth check's `viewer`. */
function watchedContext(role: 'USER' | 'ADMIN', username: string) {
  const read = new Set<string>();
  const target = { viewer: { user: { username, role } }, services: { events: bus } } as Record<string, unknown>;
  const context = new Proxy(target, {
    get(object, key) {
      if (typeof key === 'string') read.add(key);
      return object[key as string];
    },
  });
  return { context, read };
}

describe('shared subscription answers', () => {
  it('the listed fields read nothing of the viewer (and a per-viewer field is caught reading it)', async () => {
    const { context, read } = watchedContext('ADMIN', 'root');
    const result = await execute({ schema, document: parse(EVERY_LISTED_FIELD), rootValue: record, contextValue: context });
    expect(result.errors).toBeUndefined();
    expect((result.data?.lockChanged as { deviceId: string }).deviceId).toBe(lock.deviceId);
    expect([...read].filter((key) => key !== 'viewer')).toEqual([]);
    expect(readsOnlyEventData(schema, parse(EVERY_LISTED_FIELD))).toBe(true);

    const perViewer = watchedContext('ADMIN', 'root');
    await execute({ schema, document: parse('subscription { lockChanged { deviceId myRole } }'), rootValue: record, contextValue: perViewer.context });
    expect([...perViewer.read].filter((key) => key !== 'viewer')).not.toEqual([]);
    expect(readsOnlyEventData(schema, parse('subscription { lockChanged { deviceId myRole } }'))).toBe(false);
    expect(readsOnlyEventData(schema, parse('subscription { lockChanged { ...F } } fragment F on Lock { deviceId settings { bootAction } }'))).toBe(false);
    expect(readsOnlyEventData(schema, parse('subscription { commandUpdated(id: "x") { id } }'))).toBe(false);
  });

  it('executes a shareable document once per event for all its subscribers, and any other per subscriber', async () => {
    const runs = new Map<string, number>();
    const counting = (args: ExecutionArgs): Promise<ExecutionResult> | ExecutionResult => {
      const text = args.document.loc?.source.body ?? '';
      runs.set(text, (runs.get(text) ?? 0) + 1);
      return execute(args);
    };
    const subscribe = makeSharedSubscribe(counting);
    const shared = parse('subscription { lockChanged { deviceId status rssi } }');
    const notShared = parse('subscription { lockChanged { deviceId alertSettings { doorAjarMinutes } } }');
    const open = async (document: ReturnType<typeof parse>, username: string) => {
      const stream = await subscribe({ schema, document, contextValue: watchedContext('ADMIN', username).context });
      if (!(Symbol.asyncIterator in stream)) throw new Error(JSON.stringify(stream.errors));
      return stream;
    };
    const streams = [await open(shared, 'root'), await open(shared, 'root2'), await open(notShared, 'root'), await open(notShared, 'root2')];
    bus.publish('lock.changed', record);
    const answers = await Promise.all(streams.map(async (s) => (await s.next()).value as ExecutionResult));
    expect(answers[0]).toBe(answers[1]); // one answer, handed to both
    expect(answers[0]!.data).toEqual({ lockChanged: { deviceId: lock.deviceId, status: record.status, rssi: record.rssi } });
    expect(answers[2]).not.toBe(answers[3]);
    expect(answers[2]).toEqual(answers[3]);
    expect([...runs.values()]).toEqual([1, 2]);
    // Another event: a new answer, not the previous one.
    bus.publish('lock.changed', { ...record, status: record.status === 'LOCKED' ? 'UNLOCKED' : 'LOCKED' });
    const next = (await streams[0]!.next()).value as ExecutionResult;
    expect(next).not.toBe(answers[0]);
    for (const s of streams) await s.return?.();
  });

  it('answers a document with a per-viewer field per viewer: the owner and an admin on the same query and lock each get their own role', async () => {
    const QUERY = 'subscription ($d: ID) { lockChanged(deviceId: $d) { deviceId status myRole } }';
    const open = async (viewer: AuthResult) => {
      const client = wsClient(app.wsUrl, viewer.accessToken, { lazy: false });
      clients.push(client);
      return subscribed<{ deviceId: string; status: string; myRole: string }>(app.websocketOperations, client, QUERY, { d: lock.deviceId });
    };
    const ownerFeed = await open(alice);
    const adminFeed = await open(admin);
    await publishStatus(app, lockClient, lock, signedStatus(lock, { seq: 2, status: 'UNLOCKED' }));
    expect(await ownerFeed.waitFor((e) => e.status === 'UNLOCKED', 10_000)).toEqual({ deviceId: lock.deviceId, status: 'UNLOCKED', myRole: 'OWNER' });
    expect(await adminFeed.waitFor((e) => e.status === 'UNLOCKED', 10_000)).toEqual({ deviceId: lock.deviceId, status: 'UNLOCKED', myRole: 'ADMIN' });
  });
});
