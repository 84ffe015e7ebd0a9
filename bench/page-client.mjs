// Child process of big-data.mjs: the admin's browser. Times sequential GraphQL requests of one
// page on its own clock, in a process that holds nothing else (the seeding process's heap and its
// garbage collection would otherwise be timed with the api).
import { post } from './http-post.mjs';

const send = (message) => process.send?.(message);

/** A request that meets a kept-alive socket the api just closed (idle for 5 s) is sent again once. */
async function ask(url, token, body) {
  const answer = await post(url, token, body).catch((error) => {
    if (error.code === 'ECONNRESET') return post(url, token, body);
    throw error;
  });
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

async function time({ url, token, query, variables, warmup, runs }) {
  for (let i = 0; i < warmup; i++) await ask(url, token, { query, variables });
  const times = [];
  const starts = []; // ms since the epoch, to line up with what the parent saw meanwhile
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await ask(url, token, { query, variables });
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
