import type { ReactNode } from 'react';
import type { Camera } from '../api/types';
import type { Resource } from '../hooks/useResource';
import { EmptyState, ErrorState, LoadingState } from './Status';

/**
 * What a page that shows cameras says before it has any to show: loading, the load failed (with
 * a retry), or there are no cameras (`empty` explains where to add them). Null once there are
 * cameras, so the page renders its own content.
 */
export function cameraListState(resource: Resource<Camera[]>, cameraCount: number, empty: ReactNode): ReactNode | null {
  if (resource.loading && !resource.data) return <LoadingState text="Loading cameras…" />;
  if (!resource.data) {
    return <ErrorState title="Could not load the cameras" message={resource.error ?? 'Unknown error.'} onRetry={() => void resource.reload()} />;
  }
  if (cameraCount === 0) return <EmptyState title="No cameras yet">{empty}</EmptyState>;
  return null;
}
