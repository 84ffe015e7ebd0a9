/**
 * lockConnection over real HTTP (issue 12 item 12): what a lock needs besides its secret, from the
 * embedded broker's real ports, with the host guessed from the request or set by MQTT_PUBLIC_HOST.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, type GraphQLResponse } from '../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const QUERY = '{ lockConnection { host hostGuessed plainPort tlsPort tls webSocketUrl topicPrefix protocolVersion } }';

interface Connection {
  host: string;
  hostGuessed: boolean;
  plainPort: number | null;
  tlsPort: number | null;
  tls: string | null;
  webSocketUrl: string | null;
  topicPrefix: string;
  protocolVersion: number;
}

/** fetch() will not send a Host of our choosing: a plain request does. */
function queryWithHost(app: TestApp, token: string, host: string): Promise<GraphQLResponse<{ lockConnection: Connection }>> {
  const body = JSON.stringify({ query: QUERY });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: app.port, path: '/graphql', method: 'POST', headers: { host, 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(JSON.parse(text) as GraphQLResponse<{ lockConnection: Connection }>));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('lockConnection with the embedded broker and no MQTT_PUBLIC_HOST', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp();
    token = (await signUp(app.httpUrl, 'conn-owner')).accessToken;
  });
  afterAll(() => app.close());

  it('is for signed-in users only', async () => {
    expect(errorCodes(await gql(app.httpUrl, QUERY))).toEqual(['UNAUTHENTICATED']);
  });

  it("gives the broker's bound ports, PSK on the TLS port, the prefix and protocol 2, with the request's host marked as a guess", async () => {
    const { data, errors } = await gql<{ lockConnection: Connection }>(app.httpUrl, QUERY, {}, token);
    expect(errors).toBeUndefined();
    expect(data?.lockConnection).toEqual({
      host: '127.0.0.1',
      hostGuessed: true,
      plainPort: Number(new URL(app.brokerUrl).port),
      tlsPort: app.brokerTlsPort,
      tls: 'PSK',
      webSocketUrl: null,
      topicPrefix: app.topics.prefix,
      protocolVersion: 3,
    });
    expect(data?.lockConnection.plainPort).toBeGreaterThan(0); // MQTT_PORT=0: the real port, not 0
    expect(data?.lockConnection.tlsPort).toBeGreaterThan(0);
  });

  it('guesses from the Host header the app was reached by', async () => {
    const { data } = await queryWithHost(app, token, `smartlock.lan:${app.port}`);
    expect(data?.lockConnection).toMatchObject({ host: 'smartlock.lan', hostGuessed: true });
  });
});

describe('lockConnection with MQTT_PUBLIC_HOST, TLS required and MQTT over WebSockets', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp({
      MQTT_PUBLIC_HOST: 'locks.home.example',
      MQTT_REQUIRE_TLS: 'true',
      MQTT_WEBSOCKETS: 'true',
      ALLOWED_ORIGINS: 'https://smartlock.home.example',
    });
    token = (await signUp(app.httpUrl, 'conn-owner')).accessToken;
  });
  afterAll(() => app.close());

  it('names the configured host whatever the request says, no plain port, and the wss URL on the app origin', async () => {
    const { data, errors } = await queryWithHost(app, token, 'internal-name:4000');
    expect(errors).toBeUndefined();
    expect(data?.lockConnection).toEqual({
      host: 'locks.home.example',
      hostGuessed: false,
      plainPort: null,
      tlsPort: app.brokerTlsPort,
      tls: 'PSK',
      webSocketUrl: 'wss://smartlock.home.example/mqtt',
      topicPrefix: app.topics.prefix,
      protocolVersion: 3,
    });
  });
});
