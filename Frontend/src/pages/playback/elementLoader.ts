/**
 * Loads recorded segments into the Playback page's `<video>` elements for the SegmentPlayer. One
 * load waits per element (a newer one drops it); a finished file already in an element is used
 * again; a growing file (the segment being written) is always asked for anew under a query of
 * its own (growingSegment.copyUrl), so the element reads it as long as it is now and no cache
 * answers with an older, shorter copy. The element carries data-segment-id and data-src.
 */
import { recordingFileUrl } from '../../api/playback';
import { copyUrl, isGrowing } from './growingSegment';
import type { Segment } from './segmentLookup';

export class ElementLoader {
  /** Per element, how to drop the load it is still waiting for. */
  private readonly pending = new Map<HTMLVideoElement, () => void>();
  /** Numbers the copies of growing files. */
  private copies = 0;

  /** Loads `segment` into `video`, then `ready` once its metadata is in (`failed`, if given, when the file cannot be read). */
  load(video: HTMLVideoElement, segment: Segment, ready: () => void, failed?: () => void): void {
    this.pending.get(video)?.();
    const growing = isGrowing(segment);
    const url = copyUrl(recordingFileUrl(segment.recording.id), growing, growing ? ++this.copies : 0);
    if (video.dataset.src === url && video.readyState >= HTMLMediaElement.HAVE_METADATA) {
      ready();
      return;
    }
    if (video.dataset.src !== url) {
      video.dataset.segmentId = segment.recording.id;
      video.dataset.src = url;
      video.src = url;
    }
    const drop = () => {
      this.pending.delete(video);
      video.removeEventListener('loadedmetadata', onReady);
      video.removeEventListener('error', onError);
    };
    const onReady = () => {
      drop();
      ready();
    };
    const onError = () => {
      drop();
      failed?.();
    };
    video.addEventListener('loadedmetadata', onReady, { once: true });
    if (failed) video.addEventListener('error', onError, { once: true });
    this.pending.set(video, drop);
  }

  /** Drops every load still waiting. */
  dropAll(): void {
    for (const drop of [...this.pending.values()]) drop();
  }
}
