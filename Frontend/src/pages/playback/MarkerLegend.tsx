/**
 * The legend under the ruler: one toggle per detection class of the day, in its marker colour,
 * with its count; switching a class off hides its markers. Until detection has run for the day
 * it says so plainly instead of showing anything made up.
 */
import { classColor, rankedClasses } from './detectionClasses';

interface Props {
  counts: Record<string, number>;
  hidden: ReadonlySet<string>;
  onToggle: (name: string) => void;
}

export function MarkerLegend({ counts, hidden, onToggle }: Props) {
  const classes = rankedClasses(counts);
  return (
    <div className="marker-legend" data-testid="marker-legend">
      <span className="marker-legend-title">Detections</span>
      {classes.length === 0 ? (
        <span className="muted small" data-testid="markers-empty">
          None for this day.
        </span>
      ) : (
        classes.map(({ name, count }) => {
          const on = !hidden.has(name);
          return (
            <button
              key={name}
              type="button"
              className={`marker-toggle${on ? '' : ' off'}`}
              onClick={() => onToggle(name)}
              aria-pressed={on}
              data-testid="marker-toggle"
              data-class={name}
            >
              <span className="marker-swatch" style={{ background: classColor(name) }} />
              {name}
              <span className="marker-count">{count}</span>
            </button>
          );
        })
      )}
    </div>
  );
}
