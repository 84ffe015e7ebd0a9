/**
 * A passkey authenticator in software, for tests: an ES256 (P-256) key per credential from
 * node:crypto, attestation 'none' and assertions built byte by byte as WebAuthn §6.1 and §6.5
 * lay them out, with just enough CBOR (RFC 8949) to write them. It answers the options the api
 * hands out, as @simplewebauthn/browser would send them back (JSON, base64url).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

function head(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) return Buffer.from([(major << 5) | 25, value >> 8, value & 0xff]);
  const b = Buffer.alloc(5);
  b.writeUInt8((major << 5) | 26, 0);
  b.writeUInt32BE(value, 1);
  return b;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value, 'utf8')]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  userHandle: string;
  rpId: string;
  counter: number;
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(
    readonly origin: string,
    /** Whether it verifies the user (PIN, biometrics): the UV flag. */
    public userVerified = true,
    /** Whether it counts signatures (0 forever when not, as many platform authenticators do). */
    readonly counts = true,
  ) {}

  /** navigator.credentials.create() answered, as the JSON text to send to `addPasskey`. */
  register(optionsJson: string): { response: string; credential: SoftCredential } {
    const options = JSON.parse(optionsJson) as CreationOptions;
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = cbor(
      new Map<Cbor, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const id = randomBytes(16);
    const credential: SoftCredential = { id, privateKey, userHandle: options.user.id, rpId, counter: 0 };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([FLAG_UP | FLAG_AT | (this.userVerified ? FLAG_UV : 0)]), Buffer.alloc(4), Buffer.alloc(16), idLength, id, coseKey]);
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    this.credentials.push(credential);
    const response = {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientData('webauthn.create', options.challenge, this.origin)), attestationObject: b64url(attestationObject), transports: ['internal'] },
    };
    return { response: JSON.stringify(response), credential };
  }

  /** navigator.credentials.get() answered with `credential` (default: the first allowed, else the first held). */
  assert(optionsJson: string, credential?: SoftCredential): string {
    const options = JSON.parse(optionsJson) as RequestOptions;
    const allowed = options.allowCredentials?.map((c) => c.id);
    const chosen = credential ?? this.credentials.find((c) => !allowed || allowed.includes(b64url(c.id)));
    if (!chosen) throw new Error('no credential for these options');
    if (this.counts) chosen.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(chosen.counter);
    const authData = Buffer.concat([sha256(options.rpId ?? chosen.rpId), Buffer.from([FLAG_UP | (this.userVerified ? FLAG_UV : 0)]), counter]);
    const clientDataJSON = clientData('webauthn.get', options.challenge, this.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), chosen.privateKey);
    return JSON.stringify({
      id: b64url(chosen.id),
      rawId: b64url(chosen.id),
      type: 'public-key',
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), userHandle: chosen.userHandle },
    });
  }
}
