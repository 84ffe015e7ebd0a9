// Child process of big-data.mjs: the admin's browser. Times sequential GraphQL requests of one
// page on its own clock, in a process that holds nothing else (the seeding process's heap and its
// garbage collection would otherwise be timed with the api).
import { graphqlData } from './http-post.mjs';

const send = (message) => process.send?.(message);

async function time({ url, token, query, variables, warmup, runs }) {
  for (let i = 0; i < warmup; i++) await graphqlData(url, token, { query, variables });
  const times = [];
  const starts = []; // ms since the epoch, to line up with what the parent saw meanwhile
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await graphqlData(url, token, { query, variables });
    times.push(performance.now() - start);
    starts.push(performance.timeOrigin + start);
  }
  send({ type: 'timed', times, starts });
}

process.on('message', (message) => {
  if (message.type === 'stop') process.exit(0);
  if (message.type === 'time') {
    time(message).catch((error) => {
      send({ type: 'error', message: error instanceof Error ? error.stack : String(error) });
      process.exit(1);
    });
  }
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(2), 60 * 60_000).unref();
