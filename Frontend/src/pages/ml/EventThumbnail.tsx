/**
 * An event's snapshot in the log (`snapshot_url?height=120`, loaded lazily as rows scroll into
 * view), or a placeholder while the server is still making it (`artifacts` "pending") and when
 * there is none (the job failed, the file is gone).
 */
import { useState } from 'react';
import { mediaUrl, type ActivityEvent } from '../../api/events';
import { Spinner } from '../../components/Status';

export const THUMBNAIL_HEIGHT = 120;

export function EventThumbnail({ event, alt }: { event: ActivityEvent; alt: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  const src = mediaUrl(event.snapshot_url, { height: THUMBNAIL_HEIGHT });

  if (event.artifacts === 'pending') {
    return (
      <div className="event-thumb event-thumb-placeholder" data-testid="event-thumb" data-state="pending">
        <Spinner />
        <span>Making snapshot…</span>
      </div>
    );
  }
  if (event.artifacts !== 'ready' || failed === src) {
    return (
      <div className="event-thumb event-thumb-placeholder" data-testid="event-thumb" data-state="missing">
        <span>No snapshot</span>
      </div>
    );
  }
  return <img className="event-thumb" data-testid="event-thumb" data-state="ready" src={src} alt={alt} loading="lazy" onError={() => setFailed(src)} />;
}
