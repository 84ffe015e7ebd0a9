// Child process of ingest-replicas.mjs: a bare subscriber that only counts what the broker delivers
// (the "raw" rate), one per api replica it stands in for, on the same shared subscription.
import { require } from './lib.mjs';

const { connect } = require('mqtt');
let received = 0;
let client;

process.on('message', (message) => {
  void (async () => {
    if (message.type === 'start') {
      client = connect(message.brokerUrl, { protocolVersion: 4, clean: true, keepalive: 30, reconnectPeriod: 0, clientId: message.clientId });
      client.on('message', () => {
        received += 1;
      });
      await new Promise((resolve, reject) => (client.once('connect', resolve), client.once('error', reject)));
      await client.subscribeAsync(message.filter, { qos: 1 });
      process.send({ type: 'started' });
    } else if (message.type === 'count') {
      const cpu = process.cpuUsage();
      process.send({ type: 'count', received, cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (message.type === 'stop') {
      await client?.endAsync(true);
      process.exit(0);
    }
  })().catch((error) => {
    process.send({ type: 'error', message: String(error) });
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(2), 10 * 60_000).unref();
