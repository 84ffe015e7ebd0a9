import { useState } from 'react';
import type { SerialPortLike } from '../lib/improv';
import type { ProvisioningDocument } from '../lib/provisioning';

interface Props {
  document: ProvisioningDocument;
  /** The secret reached the lock: as good as saved. */
  onProvisioned: () => void;
}

/**
 * "Provision over USB": Improv Wi-Fi over Web Serial (docs/provisioning.md), where the browser has
 * it (Chrome and Edge on a computer). Elsewhere nothing is shown: the file and `npm run provision` remain.
 */
export function UsbProvisioning({ document: doc, onProvisioned }: Props) {
  const [ssid, setSsid] = useState('');
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  // Web Serial where the browser has it (Chrome and Edge on a computer).
  const serial = (navigator as Navigator & { serial?: { requestPort(): Promise<SerialPortLike> } }).serial;
  if (!serial) return null;

  const run = async () => {
    setBusy(true);
    setStatus(null);
    let port;
    try {
      port = await serial.requestPort();
    } catch {
      setBusy(false);
      return; // the user closed the port picker
    }
    try {
      await port.open({ baudRate: 115200 });
      if (!port.readable || !port.writable) throw new Error('The port cannot be read or written.');
      // Loaded on use: the Improv code stays out of the app's initial download.
      const { provisionOverSerial } = await import('../lib/improv');
      await provisionOverSerial({ readable: port.readable, writable: port.writable }, doc, { ssid, password }, (text) =>
        setStatus({ text, error: false }),
      );
      onProvisioned();
    } catch (e) {
      setStatus({ text: e instanceof Error ? e.message : String(e), error: true });
    } finally {
      await port.close().catch(() => {});
      setBusy(false);
    }
  };

  return (
    <form
      className="usb-provisioning"
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <p>Or connect the lock to this computer with USB and send it everything above plus its Wi-Fi network:</p>
      <label htmlFor="usb-ssid">Wi-Fi network</label>
      <input id="usb-ssid" value={ssid} onChange={(e) => setSsid(e.target.value)} required maxLength={32} autoComplete="off" />
      <label htmlFor="usb-password">Wi-Fi password</label>
      <input id="usb-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={64} autoComplete="off" />
      <button type="submit" disabled={busy || ssid === ''}>
        Provision over USB
      </button>
      {status && (
        <p role={status.error ? 'alert' : 'status'} className={status.error ? 'form-error' : 'muted'}>
          {status.text}
        </p>
      )}
    </form>
  );
}
