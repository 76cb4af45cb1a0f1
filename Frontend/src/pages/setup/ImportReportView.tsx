/** The per-camera outcome of an import, grouped as created / skipped / refused with reasons. */
import type { ImportReport } from '../../api/types';

export function ImportReportView({ report }: { report: ImportReport }) {
  const { created, skipped, refused } = report;
  return (
    <div className="import-report" data-testid="import-report">
      <p className="import-summary" data-testid="import-summary">
        {created.length} created, {skipped.length} skipped, {refused.length} refused.
      </p>
      {created.length > 0 && (
        <section className="report-group report-created" data-testid="import-created">
          <h3>Created</h3>
          <ul>
            {created.map((c) => (
              <li key={c.id} data-camera-name={c.name}>
                {c.name}
              </li>
            ))}
          </ul>
        </section>
      )}
      {skipped.length > 0 && (
        <section className="report-group report-skipped" data-testid="import-skipped">
          <h3>Skipped</h3>
          <ul>
            {skipped.map((c, i) => (
              <li key={`${c.name}-${i}`} data-camera-name={c.name}>
                <strong>{c.name}</strong>: {c.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      {refused.length > 0 && (
        <section className="report-group report-refused" data-testid="import-refused">
          <h3>Refused</h3>
          <ul>
            {refused.map((c, i) => (
              <li key={`${c.name}-${i}`} data-camera-name={c.name}>
                <strong>{c.name}</strong>: {c.reason}
              </li>
            ))}
          </ul>
        </section>
      )}
      {created.length + skipped.length + refused.length === 0 && <p className="muted">The file held no cameras.</p>}
    </div>
  );
}
