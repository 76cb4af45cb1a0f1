/**
 * The ML page's Status tab: the Status page's own Detection section (DetectionPanel), polled
 * every 5 seconds while the tab is shown, with camera names from the camera list.
 */
import { useCallback } from 'react';
import { getMlStatus } from '../../api/ml';
import type { Camera } from '../../api/types';
import { useNow } from '../../hooks/useNow';
import { useResource } from '../../hooks/useResource';
import { DetectionPanel } from '../status/DetectionPanel';

const REFRESH_MS = 5000;

export function DetectionStatusTab({ cameras, isAdmin }: { cameras: Camera[]; isAdmin: boolean }) {
  const load = useCallback((signal: AbortSignal) => getMlStatus(signal), []);
  const resource = useResource(load, REFRESH_MS);
  const now = useNow(1000);
  const cameraName = (id: string | null) => (id ? cameras.find((c) => c.id.toLowerCase() === id.toLowerCase())?.name ?? null : null);
  return <DetectionPanel resource={resource} now={now} isAdmin={isAdmin} cameraName={cameraName} />;
}
