/**
 * Staged rollouts (issue 13 item 4). An admin starts one for a release with cumulative stages
 * (say 1, 10, 50, 100 percent of the eligible locks) and a failure threshold. Each run of the
 * rollout job (`tick`, once per FIRMWARE_ROLLOUT_INTERVAL across replicas: BullMQ with Redis,
 * else a timer) moves every running rollout on: it times out updates without an outcome, pauses
 * the rollout when failures exceed the threshold, sends the stage's share of eligible locks their
 * `update`, and advances once every update of the stage has an outcome.
 *
 * State lives in the store: each rollout change is a compare-and-set on its revision and each
 * lock holds one update at a time, so even two runs at once never send a lock two updates or
 * apply one step twice.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../app/logger.js';
import type { AuditService } from '../audit/audit.service.js';
import { UPDATE_PROTOCOL_VERSION } from '../devices/protocol/messages-v3-update.js';
import { BadUserInputError, FirmwareDisabledError, NotFoundError } from '../errors/graphql-errors.js';
import { FINAL_UPDATE_STATES, type FirmwareReleaseRecord, type FirmwareRolloutRecord, type LockFirmwareUpdateRecord, type RolloutPatch } from '../store/firmware-records.js';
import type { Store } from '../store/ports.js';
import type { LockRecord } from '../store/records.js';
import type { FirmwareUpdateIngest } from './update-ingest.js';
import type { UpdateSender } from './update-sender.js';
import { failuresExceed, rolloutOrder, stagesProblem, stageTarget } from './rollout-stages.js';

const FAILURES = new Set(['FAILED', 'ROLLED_BACK', 'TIMED_OUT']);
const isFinal = (update: LockFirmwareUpdateRecord) => FINAL_UPDATE_STATES.includes(update.state);

export interface FirmwareRolloutsDeps {
  store: Store;
  sender: UpdateSender;
  ingest: FirmwareUpdateIngest;
  audit: AuditService;
  log: Logger;
  /** False without FIRMWARE_PUBLIC_KEY: every operation answers FIRMWARE_DISABLED. */
  enabled: boolean;
  /** The absolute URL of a release image. */
  imageUrl: (sha256: string) => string;
  updateTimeoutMs: number;
  now?: () => number;
}

export class FirmwareRollouts {
  private readonly now: () => number;
  /** One run at a time in this process (the scheduler's job and the tests' direct calls). */
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: FirmwareRolloutsDeps) {
    this.now = deps.now ?? Date.now;
  }

  private assertEnabled(): void {
    if (!this.deps.enabled) throw new FirmwareDisabledError();
  }

  async listReleases(): Promise<FirmwareReleaseRecord[]> {
    this.assertEnabled();
    return this.deps.store.firmware.listReleases();
  }

  async listRollouts(): Promise<FirmwareRolloutRecord[]> {
    this.assertEnabled();
    return this.deps.store.firmware.listRollouts();
  }

  async start(actor: string, releaseId: string, stages: number[], maxFailurePercent: number): Promise<FirmwareRolloutRecord> {
    this.assertEnabled();
    const problem = stagesProblem(stages);
    if (problem) throw new BadUserInputError(problem, 'stages');
    if (!Number.isInteger(maxFailurePercent) || maxFailurePercent < 0 || maxFailurePercent > 100) {
      throw new BadUserInputError('maxFailurePercent is a whole percentage from 0 to 100', 'maxFailurePercent');
    }
    const release = await this.deps.store.firmware.findRelease(releaseId);
    if (!release) throw new NotFoundError(`Release ${releaseId}`);
    const active = await this.activeFor(release.hw);
    if (active) throw new BadUserInputError(`rollout ${active.id} of this hardware is still ${active.state.toLowerCase()}: cancel it first`, 'releaseId');
    const rollout = await this.deps.store.firmware.createRollout({ releaseId, stages, maxFailurePercent, startedBy: actor });
    await this.audit(actor, 'firmware.rollout.started', 'ok', `${rollout.id}: ${release.hw} ${release.version}, stages ${stages.join('/')}%, pause above ${maxFailurePercent}% failures`);
    return rollout;
  }

  async pause(actor: string, id: string): Promise<FirmwareRolloutRecord> {
    return this.change(actor, id, ['RUNNING'], { state: 'PAUSED', pausedReason: `paused by ${actor}` }, 'firmware.rollout.paused');
  }

  async resume(actor: string, id: string): Promise<FirmwareRolloutRecord> {
    return this.change(actor, id, ['PAUSED'], { state: 'RUNNING', pausedReason: null }, 'firmware.rollout.resumed');
  }

  async cancel(actor: string, id: string): Promise<FirmwareRolloutRecord> {
    return this.change(actor, id, ['RUNNING', 'PAUSED'], { state: 'CANCELLED' }, 'firmware.rollout.cancelled');
  }

  /** One run of the rollout job: every running rollout moves on as far as it can now. */
  tick(): Promise<void> {
    const run = this.running.then(() => this.runOnce());
    this.running = run.catch(() => undefined);
    return run;
  }

  private async runOnce(): Promise<void> {
    if (!this.deps.enabled) return;
    for (const rollout of await this.deps.store.firmware.listRollouts()) {
      if (rollout.state !== 'RUNNING' && rollout.state !== 'PAUSED') continue;
      try {
        await this.expireOverdue(rollout);
        if (rollout.state === 'RUNNING') await this.step(rollout);
      } catch (error) {
        this.deps.log.error({ err: error, rolloutId: rollout.id }, 'firmware rollout step failed');
      }
    }
  }

  private async step(start: FirmwareRolloutRecord): Promise<void> {
    const release = await this.deps.store.firmware.findRelease(start.releaseId);
    if (!release) return;
    let rollout = start;
    // Each pass either waits (returns) or advances one stage, so this ends.
    for (let pass = 0; pass <= rollout.stages.length; pass += 1) {
      const updates = await this.deps.store.firmware.listLockUpdatesByRollout(rollout.id);
      const failed = updates.filter((u) => FAILURES.has(u.state));
      if (failuresExceed(failed.length, updates.length, rollout.maxFailurePercent)) {
        const reasons = [...new Set(failed.map((u) => u.reason ?? u.state.toLowerCase()))].join(', ');
        const reason = `${failed.length} of ${updates.length} updates failed (above ${rollout.maxFailurePercent}%): ${reasons}`;
        const paused = await this.deps.store.firmware.updateRollout(rollout.id, rollout.revision, { state: 'PAUSED', pausedReason: reason });
        if (paused) await this.audit(null, 'firmware.rollout.paused', 'failures', `${rollout.id} at stage ${rollout.stageIndex + 1}: ${reason}`);
        return;
      }
      const percent = rollout.stages[rollout.stageIndex] ?? 100;
      const taken = new Set(updates.map((u) => u.deviceId));
      // Locks already sent the release stay counted, whatever they report since (a reboot may show v1 for a moment).
      const population = (await this.deps.store.locks.listAll()).filter((lock) => taken.has(lock.deviceId) || lock.protocolVersion >= UPDATE_PROTOCOL_VERSION);
      const missing = stageTarget(population.length, percent) - updates.length;
      if (missing > 0) {
        const eligible = population.filter((lock) => !taken.has(lock.deviceId) && lock.state === 'AVAILABLE' && lock.firmware !== release.version);
        const byId = new Map(eligible.map((lock) => [lock.deviceId, lock]));
        const chosen = rolloutOrder(rollout.id, [...byId.keys()]).slice(0, missing);
        if (chosen.length > 0) {
          for (const deviceId of chosen) await this.sendTo(byId.get(deviceId) as LockRecord, release, rollout);
          return; // their outcomes come later
        }
      }
      if (updates.some((u) => !isFinal(u))) return;
      const last = rollout.stageIndex >= rollout.stages.length - 1;
      const summary = `${updates.length - failed.length} updated, ${failed.length} failed`;
      const next = await this.deps.store.firmware.updateRollout(rollout.id, rollout.revision, last ? { state: 'COMPLETED' } : { stageIndex: rollout.stageIndex + 1 });
      if (!next) return; // changed meanwhile (paused, cancelled, another run): the next run sees it
      if (last) {
        await this.audit(null, 'firmware.rollout.completed', 'ok', `${rollout.id}: ${summary}`);
        return;
      }
      await this.audit(null, 'firmware.rollout.advanced', 'ok', `${rollout.id}: stage ${next.stageIndex + 1} (${next.stages[next.stageIndex]}%) after ${summary}`);
      rollout = next;
    }
  }

  private async sendTo(lock: LockRecord, release: FirmwareReleaseRecord, rollout: FirmwareRolloutRecord): Promise<void> {
    const updateId = `upd-${randomUUID()}`;
    const started = await this.deps.store.firmware.startLockUpdate(
      { deviceId: lock.deviceId, updateId, releaseId: release.id, releaseVersion: release.version, rolloutId: rollout.id, stageIndex: rollout.stageIndex },
      new Date(this.now()),
    );
    if (!started) return; // an update under way (or the lock was removed)
    await this.deps.audit.record({ actor: null, action: 'lock.firmwareUpdate', deviceId: lock.deviceId, result: 'SENT', detail: `${release.version} (rollout ${rollout.id})` }, lock.owner);
    try {
      await this.deps.sender.send(lock, updateId, release, this.deps.imageUrl(release.sha256));
    } catch (error) {
      this.deps.log.warn({ err: error, deviceId: lock.deviceId }, 'firmware update not sent');
      await this.deps.ingest.move(lock, updateId, 'FAILED', 'not_sent');
    }
  }

  /** Updates with no outcome within FIRMWARE_UPDATE_TIMEOUT end TIMED_OUT (a failure). */
  private async expireOverdue(rollout: FirmwareRolloutRecord): Promise<void> {
    const deadline = this.now() - this.deps.updateTimeoutMs;
    const overdue = (await this.deps.store.firmware.listLockUpdatesByRollout(rollout.id)).filter((u) => !isFinal(u) && u.sentAt.getTime() < deadline);
    if (overdue.length === 0) return;
    const locks = new Map((await this.deps.store.locks.findByDeviceIds(overdue.map((u) => u.deviceId))).map((lock) => [lock.deviceId, lock]));
    for (const update of overdue) {
      const lock = locks.get(update.deviceId);
      if (lock) await this.deps.ingest.move(lock, update.updateId, 'TIMED_OUT', 'no outcome in time');
    }
  }

  private async activeFor(hw: string): Promise<FirmwareRolloutRecord | undefined> {
    const active = (await this.deps.store.firmware.listRollouts()).filter((r) => r.state === 'RUNNING' || r.state === 'PAUSED');
    for (const rollout of active) {
      if ((await this.deps.store.firmware.findRelease(rollout.releaseId))?.hw === hw) return rollout;
    }
    return undefined;
  }

  private async change(
    actor: string,
    id: string,
    from: FirmwareRolloutRecord['state'][],
    patch: RolloutPatch,
    action: 'firmware.rollout.paused' | 'firmware.rollout.resumed' | 'firmware.rollout.cancelled',
  ): Promise<FirmwareRolloutRecord> {
    this.assertEnabled();
    const rollout = await this.deps.store.firmware.findRollout(id);
    if (!rollout) throw new NotFoundError(`Rollout ${id}`);
    if (!from.includes(rollout.state)) throw new BadUserInputError(`the rollout is ${rollout.state.toLowerCase()}`, 'id');
    const changed = await this.deps.store.firmware.updateRollout(id, rollout.revision, patch);
    if (!changed) throw new BadUserInputError('the rollout changed meanwhile: look again', 'id');
    await this.audit(actor, action, 'ok', `${id} at stage ${changed.stageIndex + 1}`);
    return changed;
  }

  private async audit(actor: string | null, action: 'firmware.rollout.started' | 'firmware.rollout.advanced' | 'firmware.rollout.paused' | 'firmware.rollout.resumed' | 'firmware.rollout.cancelled' | 'firmware.rollout.completed', result: string, detail: string): Promise<void> {
    await this.deps.audit.record({ actor, action, deviceId: null, result, detail });
  }
}
