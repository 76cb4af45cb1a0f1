/**
 * How near an analysed frame must be to the picture on screen for its boxes to show: half the
 * interval between analysed frames, from the server's analysis rate (GET /api/ml/status, asked
 * once); the default rate's tolerance (0.25 s) until it answers, or where it cannot.
 */
import { useEffect, useState } from 'react';
import { getMlStatus } from '../../api/ml';
import { frameTolerance } from './detectionFrames';

export function useFrameTolerance(): number {
  const [fps, setFps] = useState<number | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    getMlStatus(controller.signal)
      .then((status) => setFps(status?.detection.historical_fps ?? null))
      .catch(() => {
        /* the default rate serves */
      });
    return () => controller.abort();
  }, []);
  return frameTolerance(fps);
}
