/**
 * Which password a simulated lock gives the broker: the reference lock's rule (firmware
 * `broker_login`, docs/protocol.md §11.1). The v1 password until a server welcomed the lock into
 * v2 or v3 (remembered for the life of this SimulatedLock), then the v2 one; after a failed attempt
 * with the preferred password, one attempt with the other, then the preferred again. A v1-only
 * lock only ever uses the v1 password.
 */
import { mqttPasswordV2 } from '../devices/protocol/keys.js';
import { mqttPassword } from '../devices/protocol/signature.js';
import { usesPurposeKeys, type ProtocolVersion } from '../devices/protocol/versions.js';

export class BrokerLogin {
  private readonly v1: string;
  private readonly v2: string;
  private negotiated: ProtocolVersion = 1;
  private fallback = false;
  private usedV2 = false;

  constructor(
    key: Buffer,
    private readonly speaksV2: boolean,
  ) {
    this.v1 = mqttPassword(key);
    this.v2 = mqttPasswordV2(key);
  }

  /** The password for the next attempt (also recorded as the one that attempt uses). */
  nextPassword(): string {
    this.usedV2 = this.fallback ? !this.prefersV2() : this.prefersV2();
    this.fallback = false;
    return this.usedV2 ? this.v2 : this.v1;
  }

  /** The attempt was refused or never got a CONNACK. */
  failed(): void {
    if (this.speaksV2 && this.usedV2 === this.prefersV2()) this.fallback = true;
  }

  welcomed(version: ProtocolVersion): void {
    this.negotiated = version;
  }

  private prefersV2(): boolean {
    return this.speaksV2 && usesPurposeKeys(this.negotiated);
  }
}
