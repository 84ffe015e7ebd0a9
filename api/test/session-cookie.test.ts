/**
 * The browser's refresh token as an HttpOnly cookie (http/session-cookie.ts), over real HTTP:
 * its attributes, rotation through POST /auth/refresh, family revocation on reuse, sign-out
 * clearing it, and cross-site requests refused. API clients keep the token in the body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN, SIGN_UP, signUp } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const COOKIE = '__Secure-smartlock-refresh';
const PASSWORD = 'correct horse battery';
let app: TestApp;
let base: string;

beforeAll(async () => {
  app = await startTestApp();
  base = `http://127.0.0.1:${app.port}`;
});
afterAll(async () => {
  await app.close();
});

interface CookieAttributes {
  value: string;
  attributes: Map<string, string>;
}

function parseSetCookie(response: Response): CookieAttributes {
  const headers = response.headers.getSetCookie().filter((h) => h.startsWith(`${COOKIE}=`));
  expect(headers).toHaveLength(1);
  const [pair = '', ...rest] = headers[0]!.split(';').map((part) => part.trim());
  const attributes = new Map(
    rest.map((part) => {
      const [name = '', value = ''] = part.split('=');
      return [name.toLowerCase(), value] as [string, string];
    }),
  );
  return { value: pair.slice(COOKIE.length + 1), attributes };
}

async function graphql(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

/** Signs in as the PWA does: the refresh token comes back as a cookie. */
async function browserSignIn(username: string): Promise<{
  cookie: string;
  response: Response;
  body: { data: { signIn: { accessToken: string } } };
}> {
  const response = await graphql(SIGN_IN, { username, password: PASSWORD }, { 'x-refresh-cookie': '1', 'sec-fetch-site': 'same-origin', origin: base });
  const body = (await response.clone().json()) as {
    data: { signIn: { accessToken: string } };
  };
  return { cookie: parseSetCookie(response).value, response, body };
}

function post(path: string, cookie: string | undefined, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/auth/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: base,
      'sec-fetch-site': 'same-origin',
      ...(cookie ? { cookie: `${COOKIE}=${cookie}` } : {}),
      ...headers,
    },
    body: '{}',
  });
}

describe('the refresh-token cookie', () => {
  it('is HttpOnly, Secure, SameSite=Strict, scoped to /auth and lives as long as the refresh token', async () => {
    await signUp(app.httpUrl, 'cookie-attrs');
    const { response } = await browserSignIn('cookie-attrs');
    const { value, attributes } = parseSetCookie(response);
    expect(value).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(attributes.has('httponly')).toBe(true);
    expect(attributes.has('secure')).toBe(true);
    expect(attributes.get('samesite')).toBe('Strict');
    expect(attributes.get('path')).toBe('/auth');
    expect(attributes.get('max-age')).toBe(String(30 * 86_400));
    expect(attributes.has('domain')).toBe(false);
  });

  it('is set by sign-up too, and only when the browser asks for it', async () => {
    const asked = await graphql(SIGN_UP, { username: 'cookie-signup', password: PASSWORD }, { 'x-refresh-cookie': '1' });
    expect(parseSetCookie(asked).attributes.has('httponly')).toBe(true);
    const apiClient = await graphql(SIGN_IN, {
      username: 'cookie-signup',
      password: PASSWORD,
    });
    expect(apiClient.headers.getSetCookie()).toEqual([]);
    const body = (await apiClient.json()) as {
      data: { signIn: { refreshToken: string } };
    };
    expect(body.data.signIn.refreshToken).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('rotates on POST /auth/refresh and answers a new access token without the refresh token', async () => {
    await signUp(app.httpUrl, 'cookie-rotate');
    const first = await browserSignIn('cookie-rotate');
    const response = await post('refresh', first.cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const next = parseSetCookie(response);
    expect(next.value).not.toBe(first.cookie);
    expect(next.attributes.get('max-age')).toBe(String(30 * 86_400));
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresAt', 'user']);
    expect(JSON.stringify(body)).not.toContain(next.value);
    const me = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${body.accessToken as string}`,
      },
      body: JSON.stringify({ query: '{ me { username } }' }),
    });
    expect(await me.json()).toEqual({
      data: { me: { username: 'cookie-rotate' } },
    });
    // The new cookie works in turn.
    expect((await post('refresh', next.value)).status).toBe(200);
  });

  it('revokes the whole line when an old cookie comes back', async () => {
    await signUp(app.httpUrl, 'cookie-reuse');
    const first = await browserSignIn('cookie-reuse');
    const rotated = parseSetCookie(await post('refresh', first.cookie)).value;
    const replay = await post('refresh', first.cookie);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(parseSetCookie(replay).attributes.get('max-age')).toBe('0');
    // The legitimate holder's newer cookie is revoked with it.
    expect((await post('refresh', rotated)).status).toBe(401);
  });

  it('is refused when missing or malformed, and cleared', async () => {
    for (const cookie of [undefined, 'not a token', 'A'.repeat(43)]) {
      const response = await post('refresh', cookie);
      expect(response.status).toBe(401);
      expect(parseSetCookie(response).attributes.get('max-age')).toBe('0');
    }
  });

  it('is cleared by sign-out, which ends the session line', async () => {
    await signUp(app.httpUrl, 'cookie-signout');
    const { cookie } = await browserSignIn('cookie-signout');
    const response = await post('sign-out', cookie);
    expect(response.status).toBe(200);
    const cleared = parseSetCookie(response);
    expect(cleared.value).toBe('');
    expect(cleared.attributes.get('max-age')).toBe('0');
    expect(cleared.attributes.get('path')).toBe('/auth');
    expect(cleared.attributes.has('httponly')).toBe(true);
    expect((await post('refresh', cookie)).status).toBe(401);
  });

  it('is cleared by sign-out everywhere, which ends every session and access token', async () => {
    await signUp(app.httpUrl, 'cookie-everywhere');
    const phone = await browserSignIn('cookie-everywhere');
    const laptop = await browserSignIn('cookie-everywhere');
    expect((await post('sign-out-everywhere', laptop.cookie)).status).toBe(401); // needs the access token
    const response = await post('sign-out-everywhere', laptop.cookie, {
      authorization: `Bearer ${laptop.body.data.signIn.accessToken}`,
    });
    expect(response.status).toBe(200);
    expect(parseSetCookie(response).attributes.get('max-age')).toBe('0');
    expect((await post('refresh', phone.cookie)).status).toBe(401);
    expect((await post('refresh', laptop.cookie)).status).toBe(401);
  });

  it('is served over POST only, and /auth paths are not a client-side route of the app', async () => {
    const response = await fetch(`${base}/auth/refresh`, {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(404);
  });
});

describe('cross-site requests to the session endpoints', () => {
  const EVIL = 'https://evil.example';

  it.each([
    ['an Origin of another site', { origin: EVIL, 'sec-fetch-site': undefined }],
    ['Sec-Fetch-Site: cross-site', { origin: EVIL, 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site: same-site (a sibling subdomain)',
      {
        origin: 'https://other.smartlock.example',
        'sec-fetch-site': 'same-site',
      },
    ],
  ])('refuses %s and leaves the cookie working', async (_name, headers) => {
    await signUp(app.httpUrl, `xsite-${_name.length}`);
    const { cookie } = await browserSignIn(`xsite-${_name.length}`);
    for (const path of ['refresh', 'sign-out']) {
      const response = await fetch(`${base}/auth/${path}`, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries({
            'content-type': 'application/json',
            cookie: `${COOKIE}=${cookie}`,
            ...headers,
          }).filter((e): e is [string, string] => e[1] !== undefined),
        ),
        body: '{}',
      });
      expect(response.status).toBe(403);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    // Neither rotated nor revoked: the legitimate app can still refresh with it.
    expect((await post('refresh', cookie)).status).toBe(200);
  });

  it('refuses a simple (no-preflight) form post even from the same origin', async () => {
    await signUp(app.httpUrl, 'xsite-form');
    const { cookie } = await browserSignIn('xsite-form');
    const response = await fetch(`${base}/auth/sign-out`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `${COOKIE}=${cookie}`,
      },
      body: 'a=b',
    });
    expect(response.status).toBe(415);
    expect((await post('refresh', cookie)).status).toBe(200);
  });

  it('sets no cookie for a cross-site sign-in', async () => {
    await signUp(app.httpUrl, 'xsite-signin');
    const response = await graphql(SIGN_IN, { username: 'xsite-signin', password: PASSWORD }, { 'x-refresh-cookie': '1', origin: EVIL, 'sec-fetch-site': 'cross-site' });
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('accepts an origin listed in ALLOWED_ORIGINS', async () => {
    const listed = await startTestApp({
      ALLOWED_ORIGINS: 'https://app.smartlock.example',
    });
    try {
      const url = `http://127.0.0.1:${listed.port}`;
      await signUp(listed.httpUrl, 'listed');
      const signIn = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-refresh-cookie': '1',
          origin: 'https://app.smartlock.example',
          'sec-fetch-site': 'same-origin',
        },
        body: JSON.stringify({
          query: SIGN_IN,
          variables: { username: 'listed', password: PASSWORD },
        }),
      });
      const { value } = parseSetCookie(signIn);
      const refresh = await fetch(`${url}/auth/refresh`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: 'https://app.smartlock.example',
          cookie: `${COOKIE}=${value}`,
        },
        body: '{}',
      });
      expect(refresh.status).toBe(200);
    } finally {
      await listed.close();
    }
  });
});
