import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RotationView } from './over-the-air-rotation';

const base = { deviceId: 'front-door', secretRotation: null, overTheAirRotationUnavailable: null };

describe('<RotationView>', () => {
  afterEach(cleanup);

  it('offers the change for a lock that can take it', () => {
    const onRotate = vi.fn();
    render(<RotationView rotation={base} onRotate={onRotate} />);
    fireEvent.click(screen.getByRole('button', { name: 'Change secret over the air' }));
    expect(onRotate).toHaveBeenCalledOnce();
  });

  it('says why a lock cannot take it, and offers no button', () => {
    render(<RotationView rotation={{ ...base, overTheAirRotationUnavailable: 'the lock is offline' }} onRotate={vi.fn()} />);
    expect(screen.getByText('Over-the-air secret change is not available: the lock is offline.')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('shows each step of a rotation under way', () => {
    const { rerender } = render(<RotationView rotation={{ ...base, secretRotation: { state: 'SENT', startedAt: null } }} onRotate={vi.fn()} />);
    expect(screen.getByRole('status').textContent).toContain('waiting for it to store the new one');
    rerender(<RotationView rotation={{ ...base, secretRotation: { state: 'CONFIRMING', startedAt: null } }} onRotate={vi.fn()} />);
    expect(screen.getByRole('status').textContent).toContain('waiting for it to use it');
  });
});
