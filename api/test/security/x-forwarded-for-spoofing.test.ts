/**
 * Attack: behind one reverse proxy, rotate the leftmost X-Forwarded-For entry on every failed
 * sign-in so the per-address throttle sees a new address each time. The proxy appends the address
 * it really saw; with TRUST_PROXY=1 that rightmost entry is the client, whatever comes before it.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.js';
import { clientAddressOf } from '../../src/http/client-address.js';
import { errorCodes, gql, SIGN_IN } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const ATTACKER = '203.0.113.7';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: '1', SIGNIN_ADDRESS_MAX_FAILURES: '5' });
});
afterAll(async () => {
  await app.close();
});

function signInThroughProxy(forwardedFor: string, username: string) {
  return gql(app.httpUrl, SIGN_IN, { username, password: 'a wrong guess here' }, undefined, { 'x-forwarded-for': forwardedFor });
}

describe('X-Forwarded-For spoofing behind TRUST_PROXY=1', () => {
  it('throttles the address the proxy saw, however the client rotates the entries before it', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 12; i++) {
      // The client sends "X-Forwarded-For: 198.51.100.<i>"; the proxy appends the attacker's real address.
      const response = await signInThroughProxy(`198.51.100.${i}, ${ATTACKER}`, `victim-${i}`);
      codes.push(...errorCodes(response));
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(codes.slice(5)).toEqual(Array(7).fill('TOO_MANY_ATTEMPTS'));
  });

  it('still tells clients behind the proxy apart', async () => {
    const response = await signInThroughProxy(`198.51.100.1, 192.0.2.44`, 'someone');
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('TRUST_PROXY as a hop count', () => {
  const request = (forwardedFor: string | undefined, socket = '10.0.0.2') =>
    ({ headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress: socket } }) as unknown as IncomingMessage;

  it('takes the rightmost address the trusted proxies did not add', () => {
    expect(clientAddressOf(request('6.6.6.6, 1.2.3.4'), 0)).toBe('10.0.0.2');
    expect(clientAddressOf(request('6.6.6.6, 1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientAddressOf(request('6.6.6.6, 1.2.3.4, 10.0.0.1'), 2)).toBe('1.2.3.4');
    expect(clientAddressOf(request(undefined), 1)).toBe('10.0.0.2');
    expect(clientAddressOf(request('1.2.3.4'), 3)).toBe('1.2.3.4');
  });

  it('refuses TRUST_PROXY=true at start-up and says to give a hop count', () => {
    for (const value of ['true', 'yes']) {
      const error = (() => {
        try {
          parseConfig({ TRUST_PROXY: value });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems[0]).toMatch(/^TRUST_PROXY: must be the number of reverse proxies/);
    }
    expect(parseConfig({ TRUST_PROXY: '1' }).http.proxyHops).toBe(1);
    expect(parseConfig({ TRUST_PROXY: 'false' }).http.proxyHops).toBe(0);
    expect(parseConfig({}).http.proxyHops).toBe(0);
  });
});
