/**
 * Storage used over time per tier (GET /api/storage/history), drawn as plain SVG from
 * chartScale's geometry: a line per tier in its colour, a byte axis and local-time labels, for
 * the last day, week, 30 or 90 days. The SVG is drawn at the width it is shown (no stretched
 * text); the legend gives each tier's latest figure.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { getStorageHistory } from '../../api/storage';
import { Spinner } from '../../components/Status';
import { useElementSize } from '../../hooks/useElementSize';
import { useResource } from '../../hooks/useResource';
import { formatBytes } from '../../util/format';
import { browserTimeZone } from '../playback/zoneTime';
import { chartGeometry, type ChartBox } from './chartScale';
import { tierLabel } from './storageFormat';

const RANGES = [
  { hours: 24, label: '24 hours' },
  { hours: 168, label: '7 days' },
  { hours: 720, label: '30 days' },
  { hours: 2160, label: '90 days' },
];
const REFRESH_MS = 60_000;
const HEIGHT = 220;

export function StorageChart() {
  const [hours, setHours] = useState(168);
  const load = useCallback((signal: AbortSignal) => getStorageHistory(hours, signal), [hours]);
  const { data, error, loading, reload } = useResource(load, REFRESH_MS);
  // useResource loads once on mount; another span loads at once rather than at the next refresh.
  const shownHours = useRef(hours);
  useEffect(() => {
    if (shownHours.current === hours) return;
    shownHours.current = hours;
    void reload();
  }, [hours, reload]);
  const frame = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(frame);
  const [tz] = useState(browserTimeZone);

  const to = Date.now();
  const from = to - hours * 3600_000;
  const narrow = width > 0 && width < 480;
  const box: ChartBox = { width: Math.max(width, 1), height: HEIGHT, left: narrow ? 52 : 64, right: 12, top: 12, bottom: 26 };
  const geometry = data && width > 0 ? chartGeometry(data.samples, from, to, box, tz) : null;
  const stale = loading || (data !== null && error !== null);

  return (
    <div className="storage-chart" data-testid="storage-chart" data-hours={hours} data-samples={data?.samples.length ?? ''}>
      <div className="chart-toolbar">
        <div className="segmented" role="group" aria-label="Time span of the chart">
          {RANGES.map((r) => (
            <button key={r.hours} type="button" className={`segmented-button${r.hours === hours ? ' active' : ''}`} aria-pressed={r.hours === hours} onClick={() => setHours(r.hours)} data-testid="chart-range" data-hours={r.hours}>
              {r.label}
            </button>
          ))}
        </div>
        {geometry && (
          <ul className="chart-legend" data-testid="chart-legend">
            {geometry.lines.map((line) => (
              <li key={line.tier} data-tier={line.tier}>
                <span className={`tier-swatch tier-swatch-${line.tier}`} aria-hidden="true" />
                {tierLabel(line.tier)} <strong>{line.last ? formatBytes(line.last.bytes) : '—'}</strong>
              </li>
            ))}
          </ul>
        )}
      </div>
      {error && data === null && (
        <p className="inline-warning" role="status" data-testid="chart-error">
          Could not load storage over time: {error}
        </p>
      )}
      <div className="chart-frame" ref={frame}>
        {data === null && !error && (
          <p className="muted" role="status">
            <Spinner /> Loading storage over time…
          </p>
        )}
        {geometry && (
          <svg className={`chart-svg${stale ? ' chart-stale' : ''}`} width={box.width} height={box.height} viewBox={`0 0 ${box.width} ${box.height}`} role="img" aria-label={`Storage used per tier over the last ${RANGES.find((r) => r.hours === hours)?.label}`} data-testid="chart-svg">
            {geometry.yTicks.map((tick) => (
              <g key={`y${tick.pos}`} className="chart-grid">
                <line x1={box.left} x2={box.width - box.right} y1={tick.pos} y2={tick.pos} />
                <text x={box.left - 6} y={tick.pos} textAnchor="end" dominantBaseline="middle">
                  {tick.label}
                </text>
              </g>
            ))}
            {geometry.xTicks.map((tick) => (
              <g key={`x${tick.pos}`} className="chart-axis">
                <line x1={tick.pos} x2={tick.pos} y1={box.height - box.bottom} y2={box.height - box.bottom + 4} />
                <text x={tick.pos} y={box.height - 6} textAnchor="middle">
                  {tick.label}
                </text>
              </g>
            ))}
            <line className="chart-baseline" x1={box.left} x2={box.width - box.right} y1={box.height - box.bottom} y2={box.height - box.bottom} />
            {geometry.lines.map((line) => (
              <g key={line.tier} className={`chart-line chart-line-${line.tier}`} data-testid="chart-line" data-tier={line.tier} data-points={line.points.length} data-last-bytes={line.last?.bytes ?? ''}>
                <path d={line.path} />
                {line.dots.map((dot) => (
                  <circle key={dot.at} cx={dot.x} cy={dot.y} r={2.5} />
                ))}
              </g>
            ))}
            {geometry.empty && (
              <text className="chart-empty" x={box.left + (box.width - box.left - box.right) / 2} y={box.top + (box.height - box.top - box.bottom) / 2} textAnchor="middle" data-testid="chart-empty">
                No samples in this span yet: storage is sampled every five minutes.
              </text>
            )}
          </svg>
        )}
      </div>
    </div>
  );
}
