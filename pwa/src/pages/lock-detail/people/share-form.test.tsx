import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShareForm, type ShareFormValues } from './share-form';

function renderForm(mode: 'share' | 'invite' = 'share') {
  const onSubmit = vi.fn<(values: ShareFormValues) => void>();
  render(<ShareForm mode={mode} timeZone="Europe/Paris" submitLabel="Share" pending={false} onSubmit={onSubmit} onCancel={() => undefined} />);
  return onSubmit;
}

const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Share' }));

describe('<ShareForm>', () => {
  afterEach(cleanup);

  it('says what is missing and sends nothing', () => {
    const onSubmit = renderForm();
    submit();
    expect(screen.getByRole('alert').textContent).toMatch(/Type the username/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shares with a guest any time by default, and as a co-owner without a rule', () => {
    const onSubmit = renderForm();
    fireEvent.change(screen.getByLabelText('Their username'), { target: { value: ' bob ' } });
    expect(screen.getByText(/Any time\. Times are the lock’s \(Europe\/Paris\)/)).toBeTruthy();
    submit();
    expect(onSubmit).toHaveBeenLastCalledWith({ username: 'bob', role: 'GUEST', access: null, expiresInHours: 72 });
    fireEvent.change(screen.getByLabelText('Role'), { target: { value: 'CO_OWNER' } });
    expect(screen.queryByText('When may they use it?')).toBeNull();
    submit();
    expect(onSubmit).toHaveBeenLastCalledWith({ username: 'bob', role: 'CO_OWNER', access: null, expiresInHours: 72 });
  });

  it('names the weekly slot at fault, then sends dates and slots in the lock zone once they are right', () => {
    const onSubmit = renderForm();
    fireEvent.change(screen.getByLabelText('Their username'), { target: { value: 'bob' } });
    fireEvent.click(screen.getByLabelText(/Only on certain days and hours/));
    fireEvent.click(screen.getByRole('button', { name: 'Add a time slot' }));
    fireEvent.change(screen.getByLabelText('Slot 2: from'), { target: { value: '22:00' } });
    fireEvent.change(screen.getByLabelText('Slot 2: until'), { target: { value: '06:00' } });
    submit();
    expect(screen.getByRole('alert').textContent).toMatch(/Slot 2: the end must be after the start/);
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('Slot 2: until'), { target: { value: '00:00' } });
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) fireEvent.click(screen.getByLabelText(`Slot 2: ${day}`));
    fireEvent.click(screen.getByLabelText('Slot 2: Saturday'));
    fireEvent.click(screen.getByLabelText(/Only between dates/));
    fireEvent.change(screen.getByLabelText('Starts'), { target: { value: '2026-03-28T08:00' } });
    fireEvent.change(screen.getByLabelText('Ends'), { target: { value: '2026-03-29T08:00' } });
    submit();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onSubmit).toHaveBeenLastCalledWith({
      username: 'bob',
      role: 'GUEST',
      access: {
        // Paris moves to summer time that night: 08:00 is 07:00 UTC on Saturday, 06:00 UTC on Sunday.
        startsAt: '2026-03-28T07:00:00.000Z',
        endsAt: '2026-03-29T06:00:00.000Z',
        weekly: [
          { days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], from: '08:00', to: '18:00' },
          { days: ['SATURDAY'], from: '22:00', to: '24:00' },
        ],
      },
      expiresInHours: 72,
    });
  });

  it("keeps an invitation link's validity within 1 to 720 hours", () => {
    const onSubmit = renderForm('invite');
    expect(screen.queryByLabelText('Their username')).toBeNull();
    fireEvent.change(screen.getByLabelText('The link works for (hours)'), { target: { value: '721' } });
    submit();
    expect(screen.getByRole('alert').textContent).toMatch(/1 to 720 hours/);
    fireEvent.change(screen.getByLabelText('The link works for (hours)'), { target: { value: '24' } });
    submit();
    expect(onSubmit).toHaveBeenLastCalledWith({ username: '', role: 'GUEST', access: null, expiresInHours: 24 });
  });
});
