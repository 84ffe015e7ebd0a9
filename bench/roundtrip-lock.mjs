// Child process for command-roundtrip.mjs --lock-process: one simulated lock on its own event
// loop, as a real lock would be. Reports when it executed each command, on the shared wall clock
// (performance.timeOrigin + now() is comparable across processes on one machine).
import { api } from './lib.mjs';

const { SimulatedLock } = api('simulator/simulated-lock.js');
const { MemoryCounterStore } = api('simulator/counter-store.js');

let lock;
process.on('message', async (message) => {
  if (message.type === 'start') {
    lock = new SimulatedLock({ ...message.options, state: new MemoryCounterStore() });
    lock.on('command', (event) => event.id && process.send({ type: 'executed', id: event.id, at: performance.timeOrigin + performance.now() }));
    await lock.start();
    process.send({ type: 'started' });
  } else if (message.type === 'stop') {
    await lock?.stop({ graceful: true });
    process.exit(0);
  }
});
