/**
 * Calendar arithmetic on plain local dates ("2026-11-29", months "2026-11"): the month grid the
 * Calendar draws, stepping months and days, and validation of dates read from the URL. Dates
 * here have no time zone: which date is "today" comes from zoneTime.localDate.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function fromUtcDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** True for a real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isDate(text: string | null | undefined): text is string {
  const m = text ? DATE_RE.exec(text) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return fromUtcDate(d) === text;
}

/** The month ("YYYY-MM") a date belongs to. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The month `delta` months after `month` ("2026-12" + 1 = "2027-01"). */
export function addMonths(month: string, delta: number): string {
  const m = MONTH_RE.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 + delta, 1));
  return fromUtcDate(d).slice(0, 7);
}

/** The date `delta` days after `date`. */
export function addDays(date: string, delta: number): string {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return fromUtcDate(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + delta)));
}

/**
 * The weeks of `month` as rows of seven cells, Monday first; cells outside the month are null.
 * Always whole weeks, so the grid has 4 to 6 rows.
 */
export function monthGrid(month: string): (string | null)[][] {
  const m = MONTH_RE.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  const first = new Date(Date.UTC(year, index, 1));
  const days = new Date(Date.UTC(year, index + 1, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday = 0
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let day = 1; day <= days; day += 1) cells.push(`${month}-${pad(day)}`);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** "November 2026" for a month, in English like the rest of the interface. */
export function monthTitle(month: string): string {
  const d = new Date(`${month}-01T12:00:00Z`);
  return d.toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** "Sunday, 29 November 2026" for a date. */
export function dateTitle(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return d.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
