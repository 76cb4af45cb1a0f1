/**
 * Letting go of a MediaSource both MSE players share: end its stream if it is still open (a
 * buffer that is updating makes that throw; the MediaSource goes with the element's source
 * anyway), revoke its object URL and, when asked, detach it from the <video> element.
 */
export function releaseMediaSource(mediaSource: MediaSource | null, objectUrl: string | null, video: HTMLVideoElement, detach: boolean): void {
  if (mediaSource && mediaSource.readyState === 'open') {
    try {
      mediaSource.endOfStream();
    } catch {
      /* already ended, or a buffer is updating */
    }
  }
  if (objectUrl) {
    URL.revokeObjectURL(objectUrl);
    if (detach) {
      video.removeAttribute('src');
      video.load();
    }
  }
}
