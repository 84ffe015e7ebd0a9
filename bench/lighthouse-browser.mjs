// Helpers of lighthouse.mjs: child processes (Chromium and its helpers, in a process group of
// their own), JSON over HTTP, the DevTools protocol (through `ws`, which the api already uses) and
// GraphQL requests.
import { require } from './lib.mjs';

/** Kills a child we spawned detached (its own process group: Chromium's helpers go with it). */
function killTree(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export function exited(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

export async function stopChild(child) {
  if (!child) return;
  killTree(child, 'SIGTERM');
  if (!(await exited(child, 5000))) {
    killTree(child, 'SIGKILL');
    await exited(child, 5000);
  }
}

export async function getJson(url, init) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${response.status}`);
  return response.json();
}

/** A minimal DevTools client for one page target. */
export async function cdp(wsUrl) {
  const { WebSocket } = require('ws');
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
  await new Promise((ok, fail) => {
    ws.once('open', ok);
    ws.once('error', fail);
  });
  let nextId = 1;
  const waiting = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    const pending = msg.id && waiting.get(msg.id);
    if (!pending) return;
    waiting.delete(msg.id);
    if (msg.error) pending.fail(new Error(`${pending.method}: ${msg.error.message}`));
    else pending.ok(msg.result);
  });
  const send = (method, params = {}) =>
    new Promise((ok, fail) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        fail(new Error(`${method}: no answer in 10 s`));
      }, 10_000);
      waiting.set(id, { method, ok: (r) => (clearTimeout(timer), ok(r)), fail: (e) => (clearTimeout(timer), fail(e)) });
      ws.send(JSON.stringify({ id, method, params }));
    });
  const evaluate = async (expression) => {
    const { result, exceptionDetails } = await send('Runtime.evaluate', { expression, returnByValue: true });
    if (exceptionDetails) throw new Error(`evaluate ${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  };
  return { send, evaluate, close: () => ws.close() };
}

export async function graphql(url, query, variables) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}
