/**
 * A push service on 127.0.0.1 for tests (RFC 8030 §5: POST to the subscription's endpoint). It
 * holds each subscription's browser keys, decrypts every push (RFC 8291 over RFC 8188 aes128gcm)
 * and checks its VAPID authorization (RFC 8292: an ES256 JWT for the endpoint's origin, signed
 * by the key it names) as a real push service and browser would. No internet involved.
 */
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPush {
  subscriptionId: string;
  payload: unknown;
  headers: { ttl: number; urgency: string | undefined; contentEncoding: string | undefined };
  vapid: { publicKey: string; audience: string; subject: string; expiresAt: number };
}

export interface BrowserSubscription {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

interface Browser {
  ecdh: ECDH;
  auth: Buffer;
  /** Status to answer with instead of 201 (e.g. 410 Gone). */
  answer: number;
}

export class LocalPushService {
  readonly received: ReceivedPush[] = [];
  readonly refused: { subscriptionId: string; reason: string }[] = [];
  private readonly browsers = new Map<string, Browser>();
  private server: Server | undefined;
  private origin = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const id = /^\/push\/([\w-]+)$/.exec(request.url ?? '')?.[1] ?? '';
        const browser = this.browsers.get(id);
        if (request.method !== 'POST' || !browser) return void response.writeHead(404).end();
        try {
          const push = this.open(id, browser, request.headers, Buffer.concat(chunks));
          if (browser.answer === 201) this.received.push(push);
          response.writeHead(browser.answer).end();
        } catch (error) {
          this.refused.push({ subscriptionId: id, reason: error instanceof Error ? error.message : String(error) });
          response.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A new browser subscription: its own P-256 key pair and auth secret, as a browser makes them. */
  subscription(id: string): BrowserSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    this.browsers.set(id, { ecdh, auth, answer: 201 });
    return { id, endpoint: `${this.origin}/push/${id}`, p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
  }

  /** From now on answer pushes to `id` with `status` (410: the browser unsubscribed). */
  answer(id: string, status: number): void {
    const browser = this.browsers.get(id);
    if (browser) browser.answer = status;
  }

  for(id: string): ReceivedPush[] {
    return this.received.filter((push) => push.subscriptionId === id);
  }

  private open(id: string, browser: Browser, headers: NodeJS.Dict<string | string[]>, body: Buffer): ReceivedPush {
    const vapid = checkVapid(String(headers.authorization ?? ''), this.origin);
    return {
      subscriptionId: id,
      payload: JSON.parse(decrypt(browser, body).toString('utf8')) as unknown,
      headers: { ttl: Number(headers.ttl), urgency: headers.urgency as string | undefined, contentEncoding: headers['content-encoding'] as string | undefined },
      vapid,
    };
  }
}

/** RFC 8291 §3.4 and RFC 8188 §2, one record: what the browser does with a push it receives. */
function decrypt(browser: Browser, body: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const ecdhSecret = browser.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browser.ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, browser.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 2, then any zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('not the last record (padding delimiter missing)');
  return padded.subarray(0, end);
}

/** `vapid t=<jwt>, k=<public key>`: the JWT must be ES256 by that key, for this origin, not expired. */
function checkVapid(authorization: string, origin: string): ReceivedPush['vapid'] {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization);
  if (!match?.[1] || !match[2]) throw new Error(`no VAPID authorization: ${authorization}`);
  const [header = '', claims = '', signature = ''] = match[1].split('.');
  const raw = Buffer.from(match[2], 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, format: 'jwk' });
  const signed = verify('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!signed) throw new Error('VAPID signature does not verify');
  if ((JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg !== 'ES256') throw new Error('VAPID JWT is not ES256');
  const { aud, sub, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud: string; sub: string; exp: number };
  if (aud !== origin) throw new Error(`VAPID audience ${aud} is not ${origin}`);
  const now = Date.now() / 1000;
  if (!(exp > now && exp <= now + 24 * 3600)) throw new Error('VAPID JWT expired or too long-lived');
  return { publicKey: match[2], audience: aud, subject: sub, expiresAt: exp };
}
