import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SerialPortLike } from '../lib/improv';
import type { ProvisioningDocument } from '../lib/provisioning';
import { fakeImprovLock } from '../test-support/fake-improv-lock';
import { UsbProvisioning } from './usb-provisioning';

const DOC: ProvisioningDocument = {
  format: 'smartlock-provisioning',
  version: 1,
  deviceId: 'front-door',
  secret: 'c'.repeat(64),
  broker: { host: 'smartlock.home.example', port: 1883, tlsPort: 8883, tls: 'psk', webSocketUrl: null },
  topicPrefix: 'smartlock',
  protocolVersion: 2,
};

function withSerial(lock: ReturnType<typeof fakeImprovLock>) {
  const open = vi.fn((_options: { baudRate: number }) => Promise.resolve());
  const close = vi.fn(() => Promise.resolve());
  const port: SerialPortLike = { ...lock.port, open, close };
  Object.defineProperty(navigator, 'serial', { value: { requestPort: () => Promise.resolve(port) }, configurable: true });
  return { open, close };
}

afterEach(() => {
  cleanup();
  Reflect.deleteProperty(navigator, 'serial');
});

describe('Provision over USB', () => {
  it('is not offered without Web Serial', () => {
    render(<UsbProvisioning document={DOC} onProvisioned={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Provision over USB' })).toBeNull();
  });

  it('sends the lock its settings and the network, then counts as saved', async () => {
    const lock = fakeImprovLock();
    const port = withSerial(lock);
    const onProvisioned = vi.fn();
    render(<UsbProvisioning document={DOC} onProvisioned={onProvisioned} />);
    fireEvent.change(screen.getByLabelText('Wi-Fi network'), { target: { value: 'home' } });
    fireEvent.change(screen.getByLabelText('Wi-Fi password'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: 'Provision over USB' }));
    await waitFor(() => expect(onProvisioned).toHaveBeenCalled());
    expect(screen.getByRole('status').textContent).toBe('Provisioned: the lock joined “home” and restarts with its settings.');
    expect(port.open).toHaveBeenCalledWith({ baudRate: 115200 });
    expect(port.close).toHaveBeenCalled();
  });

  it('shows the lock’s refusal', async () => {
    withSerial(fakeImprovLock({ noWifi: true }));
    const onProvisioned = vi.fn();
    render(<UsbProvisioning document={DOC} onProvisioned={onProvisioned} />);
    fireEvent.change(screen.getByLabelText('Wi-Fi network'), { target: { value: 'home' } });
    fireEvent.click(screen.getByRole('button', { name: 'Provision over USB' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Wi-Fi: the lock could not join that Wi-Fi network.'));
    expect(onProvisioned).not.toHaveBeenCalled();
  });
});
