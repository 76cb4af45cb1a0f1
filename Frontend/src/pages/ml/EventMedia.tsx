/**
 * An event's pictures and footage in the lightbox: the snapshot (the most confident moment, with
 * its boxes and labels, or clean with `?boxes=0`), the 2x2 mosaic of four moments, and the clip
 * from a little before to a little after. While the server is still making the pictures they
 * are said to be coming; the clip plays at once (the server cuts it from the footage there is),
 * and says so when there is no footage at all.
 */
import { useState } from 'react';
import { mediaUrl, type ActivityEvent } from '../../api/events';
import { Spinner } from '../../components/Status';
import { Switch } from '../../components/Switch';

function Picture({ event, src, alt, testId }: { event: ActivityEvent; src: string; alt: string; testId: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (event.artifacts === 'pending') {
    return (
      <div className="event-picture event-picture-placeholder" data-testid={testId} data-state="pending">
        <Spinner /> Being made from the footage…
      </div>
    );
  }
  if (event.artifacts !== 'ready' || failed === src) {
    return (
      <div className="event-picture event-picture-placeholder" data-testid={testId} data-state="missing">
        {event.artifacts === 'failed' ? 'The server could not make this picture.' : 'Not available.'}
      </div>
    );
  }
  return <img className="event-picture" src={src} alt={alt} data-testid={testId} data-state="ready" onError={() => setFailed(src)} />;
}

export function EventMedia({ event, sentence }: { event: ActivityEvent; sentence: string }) {
  const [boxes, setBoxes] = useState(true);
  const [clipFailed, setClipFailed] = useState<string | null>(null);
  const snapshot = boxes ? event.snapshot_url : mediaUrl(event.snapshot_url, { boxes: 0 });
  return (
    <div className="event-media">
      <figure className="event-figure event-figure-main">
        <figcaption>
          <span>Snapshot</span>
          {event.artifacts === 'ready' && (
            <span className="event-boxes-toggle">
              <span className="muted small">Boxes</span>
              <Switch checked={boxes} onChange={setBoxes} label="Show boxes on the snapshot" testId="boxes-toggle" />
            </span>
          )}
        </figcaption>
        <Picture event={event} src={snapshot} alt={`Snapshot: ${sentence}`} testId="lightbox-snapshot" />
      </figure>
      <figure className="event-figure">
        <figcaption>Four moments</figcaption>
        <Picture event={event} src={event.mosaic_url} alt={`Four moments of: ${sentence}`} testId="lightbox-mosaic" />
      </figure>
      <figure className="event-figure">
        <figcaption>Clip</figcaption>
        {clipFailed === event.clip_url ? (
          <div className="event-picture event-picture-placeholder" data-testid="lightbox-clip" data-state="missing">
            No footage for this clip.
          </div>
        ) : (
          <video className="event-clip" src={event.clip_url} controls preload="metadata" playsInline onError={() => setClipFailed(event.clip_url)} data-testid="lightbox-clip" />
        )}
      </figure>
    </div>
  );
}
