import { useId } from 'react';
import { newSlot, type AccessDraft, type SlotDraft } from '../../../lib/share-form';
import { WEEKDAY_SHORT, WEEKDAYS, type WeekdayName } from '../../../lib/weekdays';

const WEEKDAY_LONG: Record<WeekdayName, string> = {
  MONDAY: 'Monday',
  TUESDAY: 'Tuesday',
  WEDNESDAY: 'Wednesday',
  THURSDAY: 'Thursday',
  FRIDAY: 'Friday',
  SATURDAY: 'Saturday',
  SUNDAY: 'Sunday',
};

function SlotFields({ slot, index, onChange, onRemove }: { slot: SlotDraft; index: number; onChange: (slot: SlotDraft) => void; onRemove?: () => void }) {
  const label = `Slot ${index + 1}`;
  const toggle = (day: WeekdayName, on: boolean) => {
    const days = on ? WEEKDAYS.filter((d) => d === day || slot.days.includes(d)) : slot.days.filter((d) => d !== day);
    onChange({ ...slot, days });
  };
  return (
    <fieldset className="weekly-slot">
      <legend>{label}</legend>
      <div className="weekday-picks">
        {WEEKDAYS.map((day) => (
          <label key={day}>
            <input type="checkbox" aria-label={`${label}: ${WEEKDAY_LONG[day]}`} checked={slot.days.includes(day)} onChange={(e) => toggle(day, e.target.checked)} />{' '}
            {WEEKDAY_SHORT[day]}
          </label>
        ))}
      </div>
      <div className="inline-row">
        <label>
          From <input type="time" aria-label={`${label}: from`} value={slot.from} onChange={(e) => onChange({ ...slot, from: e.target.value })} />
        </label>
        <label>
          Until <input type="time" aria-label={`${label}: until`} value={slot.to} onChange={(e) => onChange({ ...slot, to: e.target.value })} />
        </label>
        {onRemove && (
          <button type="button" onClick={onRemove}>
            Remove {label.toLowerCase()}
          </button>
        )}
      </div>
    </fieldset>
  );
}

/**
 * When a guest may use the lock: any time, between two dates, on weekly days and hours, or both.
 * Everything is in the lock's time zone, which the legend names.
 */
export function AccessFields({ draft, onChange, timeZone }: { draft: AccessDraft; onChange: (draft: AccessDraft) => void; timeZone: string }) {
  const hintId = useId();
  const setSlot = (index: number, slot: SlotDraft) => onChange({ ...draft, slots: draft.slots.map((s, i) => (i === index ? slot : s)) });
  return (
    <fieldset aria-describedby={hintId}>
      <legend>When may they use it?</legend>
      <p id={hintId} className="hint">
        {!draft.windowOn && !draft.weeklyOn ? 'Any time. ' : ''}Times are the lock’s ({timeZone}); “until 00:00” means until midnight.
      </p>
      <label>
        <input type="checkbox" checked={draft.windowOn} onChange={(e) => onChange({ ...draft, windowOn: e.target.checked })} /> Only between dates
      </label>
      {draft.windowOn && (
        <div className="inline-row">
          <label>
            Starts <input type="datetime-local" value={draft.startsAt} onChange={(e) => onChange({ ...draft, startsAt: e.target.value })} />
          </label>
          <label>
            Ends <input type="datetime-local" value={draft.endsAt} onChange={(e) => onChange({ ...draft, endsAt: e.target.value })} />
          </label>
        </div>
      )}
      <label>
        <input type="checkbox" checked={draft.weeklyOn} onChange={(e) => onChange({ ...draft, weeklyOn: e.target.checked })} /> Only on certain days and hours
      </label>
      {draft.weeklyOn && (
        <>
          {draft.slots.map((slot, index) => (
            <SlotFields
              key={index}
              slot={slot}
              index={index}
              onChange={(changed) => setSlot(index, changed)}
              onRemove={draft.slots.length > 1 ? () => onChange({ ...draft, slots: draft.slots.filter((_, i) => i !== index) }) : undefined}
            />
          ))}
          <button type="button" onClick={() => onChange({ ...draft, slots: [...draft.slots, newSlot()] })}>
            Add a time slot
          </button>
        </>
      )}
    </fieldset>
  );
}
