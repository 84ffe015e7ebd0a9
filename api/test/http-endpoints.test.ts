import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_DIR, PWA_DIR } from '../src/http/routes.js';
import { errorCodes, gql, SIGN_IN, signUp } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let base: string;
beforeAll(async () => {
  app = await startTestApp();
  base = `http://127.0.0.1:${app.port}`;
});
afterAll(async () => {
  await app.close();
});

describe('operational endpoints', () => {
  it('GET /healthz answers while alive', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('GET /readyz checks the store and the broker connection', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { overload: { overloaded: unknown; eventLoopLagMs: unknown } };
    // Whether start-up itself stalled the loop past OVERLOAD_LAG_MS depends on the machine.
    expect(typeof body.overload.overloaded).toBe('boolean');
    expect(typeof body.overload.eventLoopLagMs).toBe('number');
    expect({ ...body, overload: { ...body.overload, overloaded: false, eventLoopLagMs: 0 } }).toEqual({
      status: 'ready',
      checks: { store: 'ok', mqtt: 'ok' },
      overload: { overloaded: false, eventLoopLagMs: 0, shedHeartbeats: 0, ingestBacklog: 0 },
    });
  });

  it('GET /metrics exposes process metrics, operations by name and outcome, and sign-in failures', async () => {
    await signUp(app.httpUrl, 'metered');
    await gql(app.httpUrl, SIGN_IN, { username: 'metered', password: 'wrong password!' });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('smartlock_process_cpu_user_seconds_total');
    expect(text).toMatch(/smartlock_graphql_operations_total\{operation="signUp",type="mutation",outcome="ok"\} 1/);
    expect(text).toMatch(/smartlock_graphql_operations_total\{operation="signIn",type="mutation",outcome="UNAUTHENTICATED"\} 1/);
    expect(text).toMatch(/smartlock_signin_failures_total\{reason="bad_credentials"\} 1/);
  });

  it('labels unknown root fields as unknown, so clients cannot grow the metric', async () => {
    await gql(app.httpUrl, '{ attackerChosenName1234 }');
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).not.toContain('attackerChosenName1234');
    expect(text).toMatch(/operation="unknown"/);
  });
});

describe('the playground', () => {
  it('serves GraphiQL whose scripts and styles are all same-origin', async () => {
    expect(existsSync(join(PLAYGROUND_DIR, 'index.html')), 'the playground is not built: run npm run build').toBe(true);
    const response = await fetch(`${base}/playground/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const sources = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/^\/playground\//);
    for (const source of sources.filter((s) => s.endsWith('.js'))) {
      expect((await fetch(`${base}${source}`)).status).toBe(200);
    }
    const bundle = readFileSync(join(PLAYGROUND_DIR, sources.find((s) => s.endsWith('.js'))!.replace('/playground/', '')), 'utf8');
    expect(bundle).not.toMatch(/https:\/\/(unpkg\.com|cdn\.jsdelivr\.net|esm\.sh|fonts\.googleapis\.com)/);
  });

  it('redirects /playground to /playground/', async () => {
    expect((await fetch(`${base}/playground`, { redirect: 'manual' })).headers.get('location')).toBe('/playground/');
  });
});

describe('the app at /', () => {
  it('serves the built PWA with its client-side routes, and never for api paths', async () => {
    expect(existsSync(join(PWA_DIR, 'index.html')), 'the PWA is not built: run npm run build').toBe(true);
    for (const path of ['/', '/locks/front-door', '/admin']) {
      const response = await fetch(`${base}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await response.text()).toContain('<div id="root">');
    }
    const html = await (await fetch(`${base}/`)).text();
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1] ?? '';
    const js = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const sw = await fetch(`${base}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(400);
    expect((await fetch(`${base}/healthz`)).headers.get('content-type')).toMatch(/json/);
  });
});

describe('internal errors', () => {
  it('are returned without details, with a request id, when the store fails', async () => {
    const broken = await startTestApp();
    const user = await signUp(broken.httpUrl, 'unlucky');
    await broken.services.store.close();
    const response = await gql(broken.httpUrl, '{ me { id } }', {}, user.accessToken, { 'x-request-id': 'req-0123456789' });
    expect(response.errors?.[0]?.message).toBe('Internal server error');
    expect(errorCodes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(response)).not.toMatch(/sqlite|stack|at \//i);
    await broken.close().catch(() => undefined);
  });
});
