/**
 * Attack: cross-site request forgery. A page on another site makes the
 * victim's browser send a mutation: a form POST, a "simple" fetch (text/plain,
 * urlencoded, multipart: no preflight), or a GET with the mutation in the URL.
 * Defence: Apollo's CSRF prevention (only JSON or a custom header, both of
 * which force a preflight), no GET mutations, no CORS headers for other
 * origins, and bearer tokens rather than cookies (a browser never attaches them by itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const EVIL = 'https://evil.example';
let app: TestApp;
let victim: AuthResult;
let deviceId: string;

beforeAll(async () => {
  app = await startTestApp();
  victim = await signUp(app.httpUrl, 'csrf-victim');
  deviceId = (await registerLock(app, victim.accessToken)).deviceId;
});
afterAll(async () => {
  await app.close();
});

const rename = (name: string) => `mutation { renameLock(deviceId: "${deviceId}", name: "${name}") { name } }`;
const lockName = async () => (await app.services.store.locks.findByDeviceId(deviceId))?.name;
const userExists = async (username: string) => (await app.services.store.users.findByUsername(username)) !== null;
const signUpMutation = (username: string) => `mutation { signUp(username: "${username}", password: "long enough password") { accessToken } }`;

type Send = (query: string, headers: Record<string, string>) => Promise<Response>;

/** What a cross-site page can send without a preflight. */
const SIMPLE_REQUESTS: Record<string, Send> = {
  'a text/plain POST': (query, headers) =>
    fetch(app.httpUrl, { method: 'POST', headers: { ...headers, 'content-type': 'text/plain' }, body: JSON.stringify({ query }) }),
  'a form-urlencoded POST': (query, headers) =>
    fetch(app.httpUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query }).toString() }),
  'a multipart/form-data POST': (query, headers) => {
    const form = new FormData();
    form.set('query', query);
    return fetch(app.httpUrl, { method: 'POST', headers, body: form });
  },
  'a POST with no content type': (query, headers) => fetch(app.httpUrl, { method: 'POST', headers, body: new Blob([JSON.stringify({ query })]) }),
  'a GET with the operation in the URL': (query, headers) => fetch(`${app.httpUrl}?query=${encodeURIComponent(query)}`, { headers }),
  'a GET with text/plain (an <img> or <script> tag)': (query, headers) =>
    fetch(`${app.httpUrl}?query=${encodeURIComponent(query)}`, { headers: { ...headers, 'content-type': 'text/plain' } }),
};

describe('CSRF: cross-site simple requests run nothing', () => {
  it.each(Object.entries(SIMPLE_REQUESTS))('refuses an anonymous sign-up sent as %s', async (name, send) => {
    const username = `csrf-${name.replace(/[^a-z]/g, '').slice(0, 20)}`;
    const response = await send(signUpMutation(username), { origin: EVIL });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await userExists(username)).toBe(false);
  });

  // A browser would not attach a bearer token cross-site; carrying it proves the content-type check alone stops these.
  it.each(Object.entries(SIMPLE_REQUESTS))("refuses a mutation of the victim's lock sent as %s, even carrying the victim's token", async (_name, send) => {
    const response = await send(rename('pwned'), { origin: EVIL, authorization: `Bearer ${victim.accessToken}` });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await lockName()).toBe('Front door');
  });

  it('refuses even a cross-site GET query (a read could still have side effects or be timed)', async () => {
    const response = await fetch(`${app.httpUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: EVIL } });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });

  it('runs the same mutation sent as JSON with the token (the control case)', async () => {
    const response = await fetch(app.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${victim.accessToken}` }, body: JSON.stringify({ query: rename('Renamed') }) });
    expect(response.status).toBe(200);
    expect(await lockName()).toBe('Renamed');
  });

  it('does not allow another origin by CORS: a preflight from it gets no Access-Control-Allow-Origin', async () => {
    const preflight = await fetch(app.httpUrl, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const json = await fetch(app.httpUrl, { method: 'POST', headers: { origin: EVIL, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(json.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets no cookies a browser could send back on its own', async () => {
    const response = await fetch(app.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: signUpMutation('cookie-check') }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});
