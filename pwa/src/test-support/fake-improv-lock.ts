/** A pretend lock at the other end of a serial port, for the Improv tests (src/lib/improv.ts). */
import { Command as COMMAND, encodePacket, PacketParser, PacketType as TYPE } from '../../../api/src/provisioning/improv-protocol';
import type { ByteStreams } from '../lib/improv';

function strings(...ss: string[]): number[] {
  return ss.flatMap((s) => [s.length, ...new TextEncoder().encode(s)]);
}

/**
 * A pretend lock on the other end of a serial port: answers like firmware/src/core/improv.cpp.
 * `refuse`: the vendor RPC gets error 0x01; `noWifi`: joining fails with 0x03.
 */
export function fakeImprovLock(options: { refuse?: boolean; noWifi?: boolean; log?: boolean } = {}): { port: ByteStreams; received: number[] } {
  const received: number[] = [];
  let toApp!: ReadableStreamDefaultController<Uint8Array>;
  const readable = new ReadableStream<Uint8Array>({ start: (c) => void (toApp = c) });
  const parser = new PacketParser();
  const send = (type: number, data: number[]) => {
    if (options.log) toApp.enqueue(new TextEncoder().encode('[lock] mqtt: connecting\r\n'));
    toApp.enqueue(encodePacket(type, new Uint8Array(data)));
  };
  const writable = new WritableStream<Uint8Array>({
    write(chunk) {
      for (const p of parser.push(chunk)) {
        if (p.type !== TYPE.Rpc) continue;
        const command = p.data[0]!;
        received.push(command);
        if (command === COMMAND.GetDeviceInfo) {
          const s = strings('smartlock', 'esp32-1.0.0', 'ESP32', 'Smartlock');
          send(TYPE.RpcResult, [command, s.length, ...s]);
        } else if (command === COMMAND.SetLockProvisioning) {
          if (options.refuse) send(TYPE.ErrorState, [0x01]);
          else {
            send(TYPE.ErrorState, [0x00]);
            send(TYPE.RpcResult, [command, 0]);
          }
        } else if (command === COMMAND.WifiSettings) {
          send(TYPE.ErrorState, [0x00]);
          send(TYPE.CurrentState, [0x03]);
          if (options.noWifi) {
            send(TYPE.ErrorState, [0x03]);
            send(TYPE.CurrentState, [0x02]);
          } else {
            send(TYPE.CurrentState, [0x04]);
            send(TYPE.RpcResult, [command, 0]);
          }
        }
      }
    },
  });
  return { port: { readable, writable }, received };
}

