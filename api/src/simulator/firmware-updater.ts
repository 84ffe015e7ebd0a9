/**
 * The lock's side of a signed firmware update (issue 13 item 4), in TS for tests, as the firmware
 * does it: the `update` is checked like a cfg (signature with the cmd key, ctr above the last,
 * persisted before acting), then the manifest's signature with the release public key, the
 * hardware and the anti-rollback counter; the image is downloaded over HTTP and its size and
 * sha256 checked; the lock "reboots" into it (a new boot whose hello carries the new version) and
 * keeps it only on the first welcome of that connection, raising its stored arc.
 *
 * `fail` makes it go wrong on purpose: `bad_hash` (what was written does not match the manifest:
 * FAILED bad_hash, no switch) or `roll_back` (the trial image restarts before confirming:
 * ROLLED_BACK crash, back on the old version).
 */
import type { KeyObject } from 'node:crypto';
import { parseManifest } from '../firmware/manifest.js';
import { parseReleasePublicKey, verifyManifest } from '../firmware/release-signature.js';
import { sha256Hex } from '../firmware/verify-release.js';
import type { AckMessage } from '../devices/protocol/messages.js';
import type { UpdateMessage, UpdProgress } from '../devices/protocol/messages-v3-update.js';
import { verifyFromServerV2 } from '../devices/protocol/verify-v2.js';
import { MAX_CLOCK_SKEW_SECONDS } from '../devices/protocol/limits.js';

export interface SimulatedUpdateOptions {
  /** The release public key compiled into the lock (PEM or base64 SPKI). */
  releasePublicKey: string;
  /** @default 'esp32' */
  hw?: string;
  /** The stored anti-rollback counter. @default 0 */
  arc?: number;
  fail?: 'bad_hash' | 'roll_back';
}

export interface FirmwareUpdaterHost {
  deviceId: string;
  cmdKey: Buffer;
  lastCtr(): number;
  /** Persists the new ctr before anything else happens (a crash must not replay the update). */
  persistCtr(ctr: number): void;
  /** The lock's clock in unix seconds, null before it knows the time. */
  nowS(): number | null;
  runningFirmware(): string;
  /** Sends a v3 status carrying `ack` and/or `upd`. */
  report(extra: { ack?: AckMessage; upd?: UpdProgress }): Promise<void>;
  /** Reboots into an image whose hello says `fw`. */
  restartWith(fw: string): Promise<void>;
  log(line: string): void;
}

interface Trial {
  id: string;
  fw: string;
  arc: number;
  previousFw: string;
}

export class FirmwareUpdater {
  private readonly publicKey: KeyObject;
  private arc: number;
  private trial: Trial | null = null;
  /** The update whose trial image restarted: reported once the old image is welcomed. */
  private rolledBack: string | null = null;
  private busy = false;

  constructor(
    private readonly host: FirmwareUpdaterHost,
    private readonly options: SimulatedUpdateOptions,
  ) {
    this.publicKey = parseReleasePublicKey(options.releasePublicKey);
    this.arc = options.arc ?? 0;
  }

  get storedArc(): number {
    return this.arc;
  }

  /** A payload on the cmd topic whose type is `update`. */
  async onUpdate(text: string): Promise<void> {
    // Only a lock welcomed into v3 gets here (the simulated lock routes `update` only then).
    const verified = verifyFromServerV2(this.host.cmdKey, text, this.host.deviceId, ['update'], [3]);
    if (verified.verdict !== 'valid') return this.host.log(`${this.host.deviceId}: update dropped (${verified.verdict})`);
    const update = verified.message;
    const refusal = this.refusal(update);
    if (refusal === 'replay' || refusal === 'stale') return this.host.report({ ack: { id: update.id, result: 'rejected', reason: refusal } });
    this.host.persistCtr(update.ctr);
    if (refusal) return this.host.report({ ack: { id: update.id, result: 'rejected', reason: refusal } });
    const manifest = parseManifest(update.man);
    if (manifest.fw === this.host.runningFirmware()) {
      return this.host.report({ ack: { id: update.id, result: 'ok' }, upd: { id: update.id, state: 'CONFIRMED' } });
    }
    await this.host.report({ ack: { id: update.id, result: 'ok' } });
    this.busy = true;
    try {
      await this.install(update, manifest.fw, manifest.arc, manifest.size, manifest.sha256);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Every welcome. The first of a trial connection confirms the image (raising the stored arc); with
   * `roll_back` the trial image restarts first, and the old one reports ROLLED_BACK once welcomed.
   */
  async onWelcome(): Promise<void> {
    const rolledBack = this.rolledBack;
    if (rolledBack) {
      this.rolledBack = null;
      await this.host.report({ upd: { id: rolledBack, state: 'ROLLED_BACK', reason: 'crash' } });
      return;
    }
    const trial = this.trial;
    if (!trial) return;
    this.trial = null;
    if (this.options.fail === 'roll_back') {
      this.rolledBack = trial.id;
      await this.host.restartWith(trial.previousFw);
      return;
    }
    await this.host.report({ upd: { id: trial.id, state: 'TRIAL' } });
    this.arc = Math.max(this.arc, trial.arc);
    await this.host.report({ upd: { id: trial.id, state: 'CONFIRMED' } });
  }

  /** What the lock answers before any download; null when it starts. */
  private refusal(update: UpdateMessage): string | null {
    if (update.ctr <= this.host.lastCtr()) return 'replay';
    const nowS = this.host.nowS();
    if (nowS !== null && Math.abs(nowS - update.ts) > MAX_CLOCK_SKEW_SECONDS) return 'stale';
    if (this.busy || this.trial || this.rolledBack) return 'busy';
    if (!verifyManifest(this.publicKey, update.man, update.msig)) return 'bad_signature';
    const manifest = parseManifest(update.man);
    if (manifest.hw !== (this.options.hw ?? 'esp32')) return 'wrong_hw';
    if (manifest.arc < this.arc) return 'downgrade';
    return null;
  }

  private async install(update: UpdateMessage, fw: string, arc: number, size: number, sha256: string): Promise<void> {
    const fail = (reason: 'download' | 'truncated' | 'bad_hash') => this.host.report({ upd: { id: update.id, state: 'FAILED', reason } });
    await this.host.report({ upd: { id: update.id, state: 'DOWNLOADING' } });
    let image: Buffer;
    try {
      const response = await fetch(update.url);
      if (!response.ok) return await fail('download');
      image = Buffer.from(await response.arrayBuffer());
    } catch {
      return fail('download');
    }
    await this.host.report({ upd: { id: update.id, state: 'VERIFYING' } });
    if (image.length !== size) return fail('truncated');
    if (this.options.fail === 'bad_hash' || sha256Hex(image) !== sha256) return fail('bad_hash');
    await this.host.report({ upd: { id: update.id, state: 'REBOOTING' } });
    this.trial = { id: update.id, fw, arc, previousFw: this.host.runningFirmware() };
    await this.host.restartWith(fw);
  }
}
