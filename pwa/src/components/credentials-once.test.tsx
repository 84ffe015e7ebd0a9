import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegistrationFieldsFragment } from '../gql/graphql';
import { ServicesContext } from '../hooks/use-services';
import type { Request } from '../lib/api-client';
import { navigate } from '../lib/navigation';
import type { LockConnection } from '../lib/provisioning';
import type { AppServices } from '../lib/services';
import { aLock } from '../test-support/lock-fixture';
import { CredentialsOnce } from './credentials-once';

const SECRET = 'c'.repeat(64);
const REGISTRATION: RegistrationFieldsFragment = { deviceSecret: SECRET, mqttUsername: 'front', mqttPassword: 'd'.repeat(64), lock: aLock() };
const CONNECTION: LockConnection = {
  host: 'smartlock.home.example',
  hostGuessed: true,
  plainPort: 1883,
  tlsPort: 8883,
  tls: 'PSK',
  webSocketUrl: null,
  topicPrefix: 'smartlock',
  protocolVersion: 2,
};

function renderScreen(onDone: () => void) {
  const request = (() => Promise.resolve({ lockConnection: CONNECTION })) as Request;
  const services = { request } as Partial<AppServices> as AppServices;
  render(
    <ServicesContext.Provider value={services}>
      <CredentialsOnce registration={REGISTRATION} onDone={onDone} />
    </ServicesContext.Provider>,
  );
}

/** The warning, whether or not this DOM can show a modal dialog. */
function warning(): HTMLDialogElement {
  const dialog = document.querySelector('dialog');
  if (!dialog?.textContent?.includes('Leave without the secret?')) throw new Error('no warning dialog');
  return dialog;
}
const warningShown = () => warning().open || warning().hasAttribute('open');

beforeEach(() => window.history.replaceState(null, '', '/add'));
afterEach(cleanup);

describe('<CredentialsOnce>', () => {
  it('shows the broker settings with the guess said, and the provisioning text', async () => {
    renderScreen(() => undefined);
    expect(await screen.findByText('smartlock.home.example')).toBeTruthy();
    expect(screen.getByText('port 8883, pre-shared key from the secret')).toBeTruthy();
    expect(screen.getByText(/is a guess/)).toBeTruthy();
    const text = screen.getByLabelText<HTMLTextAreaElement>('Provisioning file (smartlock-front.json)').value;
    expect(JSON.parse(text)).toMatchObject({ deviceId: 'front', secret: SECRET, broker: { host: 'smartlock.home.example', tls: 'psk' } });
  });

  it('asks before Done and before in-app navigation while the secret is unsaved; Stay stays', async () => {
    const onDone = vi.fn();
    renderScreen(onDone);
    await screen.findByText('smartlock.home.example');
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onDone).not.toHaveBeenCalled();
    expect(warningShown()).toBe(true);
    fireEvent.click(screen.getByRole('button', { hidden: true, name: 'Stay' }));
    expect(warningShown()).toBe(false);

    act(() => navigate('/'));
    expect(window.location.pathname).toBe('/add');
    expect(warningShown()).toBe(true);
    fireEvent.click(screen.getByRole('button', { hidden: true, name: 'Leave' }));
    expect(window.location.pathname).toBe('/');
  });

  it('stops asking once the file is downloaded', async () => {
    const onDone = vi.fn();
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:provisioning');
    vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
    renderScreen(onDone);
    fireEvent.click(await screen.findByRole('button', { name: 'Download provisioning file' }));
    expect(createObjectURL).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onDone).toHaveBeenCalledOnce();
    expect(warningShown()).toBe(false);
  });

  it('keeps asking when copying failed, and stops once it worked', async () => {
    const writeText = vi.fn().mockRejectedValueOnce(new Error('denied')).mockResolvedValue(undefined);
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as Partial<Clipboard> as Clipboard);
    const onDone = vi.fn();
    renderScreen(onDone);
    await screen.findByText('smartlock.home.example');
    fireEvent.click(screen.getByRole('button', { name: 'Copy device secret' }));
    await screen.findByText(/Could not copy/);
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onDone).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { hidden: true, name: 'Stay' }));

    fireEvent.click(screen.getByRole('button', { name: 'Copy device secret' }));
    await screen.findByText('Copied');
    expect(writeText).toHaveBeenLastCalledWith(SECRET);
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onDone).toHaveBeenCalledOnce();
  });
});
