/**
 * One storage tier on the Status page: its name and role, whether it can be reached (and why not),
 * where it is (admins only: the server gives viewers no folders or buckets), its disk as a bar
 * (the tier's footage, other use, free space, the guard's reserve marked), the footage it holds,
 * days held and expected, moves waiting to leave it, and its policy in words.
 */
import type { TierName, TierStatus } from '../../api/storage';
import { formatBytes, plural } from '../../util/format';
import { percent, tierBar, type TierBar } from './storageBar';
import { formatDays, nextTier, policySentence, tierLabel, tierRole, tierSetting } from './storageFormat';

const PART_LABELS = { footage: 'Footage', other: 'Other use', free: 'Free' } as const;

function UsageBar({ tier, bar }: { tier: TierName; bar: TierBar }) {
  const label = `${tierLabel(tier)} disk: ${bar.parts.map((p) => `${PART_LABELS[p.kind].toLowerCase()} ${formatBytes(p.bytes)}`).join(', ')} of ${formatBytes(bar.capacity)}`;
  return (
    <div className="tier-usage">
      <div className={`tier-bar tier-bar-${bar.level}`} role="img" aria-label={label} data-testid="tier-bar" data-level={bar.level} data-guard={bar.guard ?? ''}>
        {bar.parts.map((part) => (
          <div key={part.kind} className={`tier-bar-part tier-bar-${part.kind}`} style={{ width: part.bytes > 0 ? `max(${percent(part.fraction)}, 2px)` : 0 }} data-testid={`tier-bar-${part.kind}`} data-bytes={part.bytes} data-fraction={part.fraction.toFixed(6)} />
        ))}
        {bar.guard !== null && <div className="tier-bar-guard" style={{ left: percent(bar.guard) }} data-testid="tier-bar-guard" title="The free-space guard keeps the space right of this line free" />}
      </div>
      <ul className="tier-bar-legend">
        {bar.parts.map((part) => (
          <li key={part.kind}>
            <span className={`tier-key tier-key-${part.kind}`} aria-hidden="true" />
            {PART_LABELS[part.kind]} <strong>{formatBytes(part.bytes)}</strong>
          </li>
        ))}
        {bar.guard !== null && (
          <li data-testid="tier-guard-text">
            <span className="tier-key tier-key-guard" aria-hidden="true" />
            Keeps free <strong>{formatBytes(bar.reserve)}</strong>
          </li>
        )}
      </ul>
    </div>
  );
}

function reachability(tier: TierStatus): { text: string; className: string } {
  if (!tier.configured) return { text: 'Not configured', className: 'badge badge-muted' };
  return tier.reachable ? { text: 'Reachable', className: 'badge badge-ok' } : { text: 'Not reachable', className: 'badge badge-danger' };
}

export function TierCard({ tier, tiers }: { tier: TierStatus; tiers: TierStatus[] }) {
  const state = reachability(tier);
  const bar = tier.configured ? tierBar(tier) : null;
  const next = nextTier(tier.tier, tiers);
  return (
    <article
      className={`tier-card tier-${tier.tier}${tier.configured ? '' : ' tier-off'}`}
      data-testid="tier-card"
      data-tier={tier.tier}
      data-configured={String(tier.configured)}
      data-reachable={String(tier.reachable)}
      data-used-bytes={tier.used_bytes}
      data-recordings={tier.recordings}
    >
      <header className="tier-head">
        <span className={`tier-swatch tier-swatch-${tier.tier}`} aria-hidden="true" />
        <h3>{tierLabel(tier.tier)}</h3>
        <span className="tier-role">{tierRole(tier.tier)}</span>
        <span className={state.className} data-testid="tier-state">
          {state.text}
        </span>
      </header>
      {tier.location !== null && (
        <code className="tier-location" data-testid="tier-location">
          {tier.location}
        </code>
      )}
      {tier.error !== null && (
        <p className="error-text tier-error" role="status" data-testid="tier-error">
          {tier.error}
        </p>
      )}
      {!tier.configured ? (
        <p className="muted small" data-testid="tier-unconfigured">
          This server has no {tier.tier} storage ({tierSetting(tier.tier)} is not set).
        </p>
      ) : (
        <>
          {bar ? (
            <UsageBar tier={tier.tier} bar={bar} />
          ) : (
            <p className="muted small tier-no-disk" data-testid="tier-no-disk">
              {tier.tier === 'cold' ? 'A bucket has no fixed size: only the footage in it is counted.' : 'The size of this disk could not be read.'}
            </p>
          )}
          <dl className="tier-stats">
            <div>
              <dt>Footage</dt>
              <dd data-testid="tier-footage" data-bytes={tier.used_bytes}>
                {formatBytes(tier.used_bytes)}
                <span className="stat-sub">{plural(tier.recordings, 'recording')}</span>
              </dd>
            </div>
            <div>
              <dt>Days held</dt>
              <dd data-testid="tier-days-held" data-days={tier.days_held ?? ''}>
                {formatDays(tier.days_held)}
                <span className="stat-sub">expected {formatDays(tier.days_expected)}</span>
              </dd>
            </div>
            <div>
              <dt>Waiting to move</dt>
              <dd data-testid="tier-backlog" data-jobs={tier.backlog.jobs} data-bytes={tier.backlog.bytes}>
                {tier.backlog.jobs === 0 ? 'Nothing' : plural(tier.backlog.jobs, 'recording')}
                <span className="stat-sub">{tier.backlog.jobs === 0 ? 'all moves done' : `${formatBytes(tier.backlog.bytes)} queued to move down`}</span>
              </dd>
            </div>
          </dl>
          <p className="tier-policy" data-testid="tier-policy">
            {policySentence(tier.tier, tier.policy, next)}
          </p>
        </>
      )}
    </article>
  );
}
