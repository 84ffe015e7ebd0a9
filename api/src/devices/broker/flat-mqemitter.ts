/**
 * aedes' message queue (mqemitter) with a drain that cannot overflow the stack.
 *
 * mqemitter runs at most `concurrency` messages at once and queues the rest.
 * When one finishes it starts the next from inside the finishing callback, so
 * a queue of messages that finish synchronously (no subscriber matches, e.g.)
 * drains by recursion, one stack frame group per message: the 10,000-lock soak
 * (bench/soak.mjs) queued tens of thousands and the api died with
 * "Maximum call stack size exceeded". Here a drain more than MAX_SYNC_DEPTH
 * messages deep continues on the next turn of the event loop instead.
 *
 * Order is kept: once one message is deferred, every later one queues behind
 * it (still holding its slot in `current`, as a running message does), and
 * the queue is run in order, a bounded batch per turn.
 */
import mqemitter from 'mqemitter';

/** Deep enough to drain a few hundred messages per turn, far from Node's ~10,000-frame stack. */
export const MAX_SYNC_DEPTH = 200;
/** Deferred messages run per turn of the event loop, so sockets are read in between. */
const DEFERRED_PER_TURN = 1000;

type Message = mqemitter.Message;
type Callback = (error?: Error) => void;

/** The internals wrapped below (mqemitter 7, the version aedes 1 ships with). */
interface MQEmitterInternals extends mqemitter.MQEmitter {
  current: number;
  _doing: boolean;
  _do(message: Message, callback: Callback): unknown;
}

export function flatMqemitter(options: { concurrency: number }): mqemitter.MQEmitter {
  const mq = mqemitter(options) as MQEmitterInternals;
  if (typeof mq._do !== 'function' || typeof mq.current !== 'number') {
    throw new Error('mqemitter internals changed: flat-mqemitter.ts must be updated');
  }
  const run = mq._do.bind(mq);
  // Never longer than `concurrency`: each entry holds a slot.
  const deferred: { message: Message; callback: Callback }[] = [];
  let depth = 0;

  const runNow = (message: Message, callback: Callback): void => {
    depth++;
    try {
      run(message, callback);
    } finally {
      depth--;
    }
  };

  let drainScheduled = false;
  const drain = (): void => {
    drainScheduled = false;
    for (let n = 0; n < DEFERRED_PER_TURN && deferred.length > 0; n++) {
      const next = deferred.shift()!;
      mq.current--; // run() takes the slot back
      runNow(next.message, next.callback);
    }
    if (deferred.length > 0 && !drainScheduled) {
      drainScheduled = true;
      setImmediate(drain);
    }
  };

  mq._do = (message, callback) => {
    if (deferred.length === 0 && depth < MAX_SYNC_DEPTH) {
      runNow(message, callback);
      return mq;
    }
    mq.current++;
    mq._doing = true;
    deferred.push({ message, callback });
    if (!drainScheduled) {
      drainScheduled = true;
      setImmediate(drain);
    }
    return mq;
  };
  return mq;
}
