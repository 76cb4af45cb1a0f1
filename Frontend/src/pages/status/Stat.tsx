/** One figure of a Status section: its label, the value, a line under it, and data attributes for tests. */
export function Stat({ label, testId, data, value, sub }: { label: string; testId: string; data: Record<string, string | number>; value: string; sub: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId} {...data}>
        {value}
        <span className="stat-sub">{sub}</span>
      </dd>
    </div>
  );
}
