// Child process for command-roundtrip.mjs --lock-process and roundtrip-processes.mjs: one simulated
// lock on its own event loop, as a real lock would be. Reports when it executed each command, on the
// shared wall clock (performance.timeOrigin + now() is comparable across processes on one machine):
// at once, or with `holdMarks` kept until asked ({ type: 'marks' }), so that the benchmark's own
// message does not wake the parent process while the lock's answer is on its way back.
import { api } from './lib.mjs';

const { SimulatedLock } = api('simulator/simulated-lock.js');
const { MemoryCounterStore } = api('simulator/counter-store.js');

let lock;
const held = [];
process.on('message', async (message) => {
  if (message.type === 'start') {
    lock = new SimulatedLock({ ...message.options, state: new MemoryCounterStore() });
    lock.on('command', (event) => {
      if (!event.id) return;
      const mark = { type: 'executed', id: event.id, at: performance.timeOrigin + performance.now() };
      if (message.holdMarks) held.push(mark);
      else process.send(mark);
    });
    await lock.start();
    process.send({ type: 'started' });
  } else if (message.type === 'marks') {
    process.send({ type: 'marks', marks: held.splice(0) });
  } else if (message.type === 'stop') {
    await lock?.stop({ graceful: true });
    process.exit(0);
  }
});
