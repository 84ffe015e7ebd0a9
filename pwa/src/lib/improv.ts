/**
 * Improv Wi-Fi over Web Serial (Chrome/Edge `navigator.serial`): the app sends a lock its
 * provisioning file (Smartlock's vendor RPC 0xF0) and a Wi-Fi network over USB, by the same exchange
 * as `npm run provision` (api/src/provisioning/improv-protocol.ts, bytes in docs/provisioning.md,
 * "Improv Wi-Fi over serial"), worded for people.
 */
import { ImprovFailure, PacketQueue, runImprovExchange, type ImprovProgress } from '../../../api/src/provisioning/improv-protocol';
import type { ProvisioningDocument } from './provisioning';

const ERRORS: Record<number, string> = {
  1: 'the lock refused a value (invalid RPC packet)',
  2: 'the lock does not know this command (is it Smartlock firmware?)',
  3: 'the lock could not join that Wi-Fi network',
  255: 'the lock could not store the settings',
};

/** The two streams of an open serial port (Web Serial's SerialPort has both). */
export interface ByteStreams {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}

function sentence(e: ImprovFailure): string {
  const why = e.errorCode === undefined ? '' : (ERRORS[e.errorCode] ?? String(e.errorCode));
  if (e.step === 'device-info') return e.errorCode === undefined ? 'The lock did not answer. Is it Smartlock firmware on this port?' : `The lock answered with an error: ${why}.`;
  if (e.step === 'lock-provisioning') return e.errorCode === undefined ? 'The lock did not confirm its settings.' : `The lock refused its settings: ${why}.`;
  return e.errorCode === undefined ? 'The lock did not join the network in time.' : `Wi-Fi: ${why}.`;
}

/**
 * Sends the provisioning document, then the Wi-Fi network, and waits for "provisioned". Calls
 * `progress` with a sentence per step; throws an Error whose message says what went wrong.
 */
export async function provisionOverSerial(
  port: ByteStreams,
  doc: ProvisioningDocument,
  wifi: { ssid: string; password: string },
  progress: (text: string) => void,
  timeoutMs = 60_000,
): Promise<void> {
  const reader = port.readable.getReader();
  const writer = port.writable.getWriter();
  const packets = new PacketQueue();
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        packets.push(value);
      }
    } catch {
      // the port was closed or cancelled
    }
    packets.end();
  })();
  const say = (p: ImprovProgress) => {
    if (p.step === 'waiting') progress('Waiting for the lock…');
    else if (p.step === 'device-info') progress('Sending the lock its settings…');
    else if (p.step === 'joining') progress(`Joining “${wifi.ssid}”…`);
  };
  try {
    await runImprovExchange({ send: (bytes) => writer.write(bytes), packets }, doc, wifi, { timeoutMs, progress: say });
    progress(`Provisioned: the lock joined “${wifi.ssid}” and restarts with its settings.`);
  } catch (e) {
    throw e instanceof ImprovFailure ? new Error(sentence(e), { cause: e }) : e;
  } finally {
    await reader.cancel().catch(() => {});
    await pump;
    reader.releaseLock();
    writer.releaseLock();
  }
}

/** Web Serial's SerialPort, as much of it as the app uses. */
export interface SerialPortLike extends Partial<ByteStreams> {
  open(options: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
}
