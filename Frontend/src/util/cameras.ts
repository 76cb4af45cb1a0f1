/** Camera list helpers shared by the pages. */
import type { Camera } from '../api/types';

/** By sort order, then name (case-insensitive, numbers in natural order): the API's own order. */
export function sortCameras(cameras: Camera[]): Camera[] {
  return [...cameras].sort(
    (a, b) => a.sort_order - b.sort_order || a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }),
  );
}
