/**
 * A data table in its frame (table.css): one header row from `columns`, the rows as children.
 * On narrow screens each row turns into a card, so every cell should carry `data-label` with its
 * column's label. A `hidden` column (actions) is named for screen readers only.
 */
import type { ReactNode } from 'react';

export interface Column {
  label: string;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** The label is read by screen readers only (a column of buttons). */
  hidden?: boolean;
}

interface Props {
  columns: (Column | false | null | undefined)[];
  /** Extra classes of the <table> beside data-table. */
  className?: string;
  testId?: string;
  children: ReactNode;
}

export function DataTable({ columns, className, testId, children }: Props) {
  return (
    <div className="table-wrap">
      <table className={className ? `data-table ${className}` : 'data-table'} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) =>
              column ? (
                <th key={column.label} scope="col" className={column.hidden ? 'actions-col' : column.numeric ? 'num' : undefined}>
                  {column.hidden ? <span className="visually-hidden">{column.label}</span> : column.label}
                </th>
              ) : null,
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
