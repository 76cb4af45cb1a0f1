/**
 * The legend entry for where the day's footage lives: one swatch per storage tier that holds some
 * of it (hot in the ruler's usual colour, warm and cold tinted), with how much. Nothing without
 * footage.
 */
import type { CameraTimeline } from '../../api/playback';
import { formatDuration } from '../../util/format';
import { legendTiers } from './tierRuns';

const LABELS = { hot: 'Hot', warm: 'Warm', cold: 'Cold' } as const;

export function TierLegend({ timelines }: { timelines: CameraTimeline[] }) {
  const tiers = legendTiers(timelines);
  if (tiers.length === 0) return null;
  return (
    <div className="tier-legend" data-testid="tier-legend" aria-label="Where the footage lives">
      <span className="marker-legend-title">Footage</span>
      {tiers.map(({ tier, seconds }) => (
        <span key={tier} className="tier-legend-item" data-testid="tier-legend-item" data-tier={tier} data-seconds={Math.round(seconds)} title={`${formatDuration(seconds)} of footage in ${tier} storage`}>
          <span className={`tier-legend-swatch tier-legend-${tier}`} aria-hidden="true" />
          {LABELS[tier]}
        </span>
      ))}
    </div>
  );
}
