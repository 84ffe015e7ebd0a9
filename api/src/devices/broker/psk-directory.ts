/**
 * The TLS pre-shared key of every registered lock, by device id, for the embedded broker's TLS
 * listener. OpenSSL asks for a key synchronously in the middle of a handshake, so the keys are held
 * here rather than read from the store: filled at start-up (reconcile) and kept in step by the
 * broker accounts (register, rotate, remove). 32 bytes a lock.
 */
export class PskDirectory {
  private readonly keys = new Map<string, Buffer>();

  get(deviceId: string): Buffer | undefined {
    return this.keys.get(deviceId);
  }

  set(deviceId: string, psk: Buffer): void {
    this.keys.set(deviceId, psk);
  }

  delete(deviceId: string): void {
    this.keys.delete(deviceId);
  }

  /** Exactly these locks from now on. */
  replaceAll(entries: Iterable<{ deviceId: string; tlsPsk: Buffer }>): void {
    this.keys.clear();
    for (const { deviceId, tlsPsk } of entries) this.keys.set(deviceId, tlsPsk);
  }

  *entries(): IterableIterator<{ deviceId: string; tlsPsk: Buffer }> {
    for (const [deviceId, tlsPsk] of this.keys) yield { deviceId, tlsPsk };
  }

  get size(): number {
    return this.keys.size;
  }
}
