/** The Detection section's queues: per job kind, the footage still waiting and the jobs by state. */
import type { QueueStatus } from '../../api/ml';
import { DataTable, type Column } from '../../components/DataTable';
import { formatFootage, kindLabel } from './detectionSummary';

const COUNTS = [
  ['queued', 'Queued'],
  ['running', 'Running'],
  ['failed', 'Failed'],
  ['parked', 'Parked'],
] as const;

const COLUMNS: Column[] = [{ label: 'Work' }, { label: 'Backlog', numeric: true }, ...COUNTS.map(([, label]) => ({ label, numeric: true }))];

export function QueueTable({ queues }: { queues: QueueStatus[] }) {
  if (queues.length === 0) return <p className="muted small" data-testid="queues-empty">No background work is queued.</p>;
  return (
    <DataTable className="status-table" testId="queue-table" columns={COLUMNS}>
      {queues.map((q) => (
        <tr key={q.kind} data-testid="queue-row" data-kind={q.kind} data-backlog-seconds={q.backlog_seconds} data-queued={q.queued} data-running={q.running} data-failed={q.failed} data-parked={q.parked}>
          <td data-label="Work" className="cell-title">
            {kindLabel(q.kind)}
          </td>
          <td data-label="Backlog" className="num" data-testid="queue-backlog" title="Footage the waiting and running jobs still cover">
            {formatFootage(q.backlog_seconds)}
          </td>
          {COUNTS.map(([key, label]) => (
            <td key={key} data-label={label} className={`num${(key === 'failed' || key === 'parked') && q[key] > 0 ? ' count-trouble' : ''}`} data-testid={`queue-${key}`}>
              {q[key].toLocaleString('en-US')}
            </td>
          ))}
        </tr>
      ))}
    </DataTable>
  );
}
