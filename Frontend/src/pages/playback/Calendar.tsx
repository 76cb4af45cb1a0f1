/**
 * A month calendar for picking the day to play. Days with footage (from the days API for the
 * shown month) are marked; today and the selected day stand out; future days are disabled.
 * Month back/forward changes only the shown month until a day is picked.
 */
import { ChevronIcon } from '../../components/icons';
import { monthGrid, monthTitle } from './calendarMonth';

interface Props {
  month: string;
  selected: string;
  today: string;
  footageDays: ReadonlySet<string>;
  loading: boolean;
  onPick: (date: string) => void;
  onPrevMonth: () => void;
  onNextMonth: () => void;
}

const WEEKDAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

export function Calendar({ month, selected, today, footageDays, loading, onPick, onPrevMonth, onNextMonth }: Props) {
  const canGoForward = month < today.slice(0, 7);
  return (
    <div className="calendar" data-testid="calendar" data-month={month} aria-busy={loading}>
      <div className="calendar-head">
        <button type="button" className="button button-small calendar-nav" onClick={onPrevMonth} aria-label="Previous month" data-testid="calendar-prev">
          <ChevronIcon direction="left" />
        </button>
        <span className="calendar-title" data-testid="calendar-title">
          {monthTitle(month)}
        </span>
        <button type="button" className="button button-small calendar-nav" onClick={onNextMonth} disabled={!canGoForward} aria-label="Next month" data-testid="calendar-next">
          <ChevronIcon direction="right" />
        </button>
      </div>
      <table className="calendar-grid" role="grid">
        <thead>
          <tr>
            {WEEKDAYS.map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthGrid(month).map((week, row) => (
            <tr key={row}>
              {week.map((date, col) =>
                date ? (
                  <td key={date}>
                    <button
                      type="button"
                      className={[
                        'calendar-day',
                        footageDays.has(date) ? 'has-footage' : '',
                        date === selected ? 'selected' : '',
                        date === today ? 'today' : '',
                      ].join(' ')}
                      disabled={date > today}
                      onClick={() => onPick(date)}
                      aria-pressed={date === selected}
                      aria-label={`${date}${footageDays.has(date) ? ', has footage' : ''}`}
                      data-testid="calendar-day"
                      data-date={date}
                      data-footage={footageDays.has(date) ? 'true' : 'false'}
                    >
                      {Number(date.slice(8))}
                    </button>
                  </td>
                ) : (
                  <td key={`empty-${col}`} />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
