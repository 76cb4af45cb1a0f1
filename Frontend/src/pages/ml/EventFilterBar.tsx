/**
 * The activity log's filters as a row of labelled controls: camera, class, kind, source,
 * reviewed, and a range of days. Each change goes to the page (which keeps it in the URL).
 */
import type { Camera } from '../../api/types';
import { Field } from '../../components/Field';
import { kindLabel, sourceLabel } from '../../events/eventText';
import { COMMON_CLASSES } from './configForm';
import { EVENT_KINDS, EVENT_SOURCES, type EventFilter, type ReviewedFilter } from './eventFilters';

interface Props {
  filter: EventFilter;
  onChange: (filter: EventFilter) => void;
  cameras: Camera[];
  /** Classes seen in the shown events, offered beside the common ones. */
  seenClasses: string[];
}

interface Choice {
  value: string;
  label: string;
}

/** One filter as a select: "any" first, then the choices; a value not among them (several classes from a link) is offered too. */
function FilterSelect({ label, value, any, choices, onChange, testId }: { label: string; value: string; any: string; choices: Choice[]; onChange: (value: string) => void; testId: string }) {
  const known = value === '' || choices.some((c) => c.value === value);
  return (
    <Field label={label}>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{any}</option>
        {!known && <option value={value}>{value.split(',').join(', ')}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

const list = (value: string) => (value ? value.split(',') : []);

export function EventFilterBar({ filter, onChange, cameras, seenClasses }: Props) {
  const set = (patch: Partial<EventFilter>) => onChange({ ...filter, ...patch });
  const classes = [...new Set([...COMMON_CLASSES, ...seenClasses])].map((c) => ({ value: c, label: c }));
  return (
    <div className="event-filters" role="search" aria-label="Filter events" data-testid="event-filters">
      <FilterSelect label="Camera" value={filter.cameraId ?? ''} any="All cameras" choices={cameras.map((c) => ({ value: c.id, label: c.name }))} onChange={(v) => set({ cameraId: v || null })} testId="filter-camera" />
      <FilterSelect label="Class" value={filter.classes.join(',')} any="All classes" choices={classes} onChange={(v) => set({ classes: list(v) })} testId="filter-class" />
      <FilterSelect label="Kind" value={filter.kinds.join(',')} any="All kinds" choices={EVENT_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))} onChange={(v) => set({ kinds: list(v) })} testId="filter-kind" />
      <FilterSelect label="Source" value={filter.source ?? ''} any="Any source" choices={EVENT_SOURCES.map((s) => ({ value: s, label: sourceLabel(s) }))} onChange={(v) => set({ source: v || null })} testId="filter-source" />
      <FilterSelect
        label="Reviewed"
        value={filter.reviewed ?? ''}
        any="Any"
        choices={[
          { value: 'unreviewed', label: 'Not reviewed' },
          { value: 'reviewed', label: 'Reviewed' },
        ]}
        onChange={(v) => set({ reviewed: (v || null) as ReviewedFilter })}
        testId="filter-reviewed"
      />
      <Field label="From">
        <input type="date" value={filter.from ?? ''} max={filter.to ?? undefined} onChange={(e) => set({ from: e.target.value || null })} data-testid="filter-from" />
      </Field>
      <Field label="To">
        <input type="date" value={filter.to ?? ''} min={filter.from ?? undefined} onChange={(e) => set({ to: e.target.value || null })} data-testid="filter-to" />
      </Field>
    </div>
  );
}
