/**
 * What live detection sees on each camera right now, from the event stream's `presence`
 * messages (`{"camera_id", "objects": {"person": 2}}`, sent when it changes), and how a Live View
 * cell says it: "person ×2, car". Camera ids are compared without regard to case. Pure functions,
 * checked by Frontend/test/events.test.ts.
 */

/** Objects in view per class, e.g. {person: 2}. */
export type SeenObjects = Record<string, number>;

/** Per camera (lower-case id), what is in view; a camera with nothing in view has no entry. */
export type PresenceMap = Readonly<Record<string, SeenObjects>>;

export interface PresenceMessage {
  camera_id: string;
  objects: SeenObjects;
}

/** The map after one message: the camera's objects replaced, or its entry dropped when nothing is in view. */
export function applyPresence(map: PresenceMap, message: PresenceMessage): PresenceMap {
  const key = message.camera_id.toLowerCase();
  const objects: SeenObjects = {};
  for (const [name, count] of Object.entries(message.objects ?? {})) {
    if (Number.isFinite(count) && count > 0) objects[name] = Math.round(count);
  }
  const next: Record<string, SeenObjects> = { ...map };
  if (Object.keys(objects).length === 0) {
    if (!(key in next)) return map;
    delete next[key];
  } else {
    next[key] = objects;
  }
  return next;
}

/** What the camera sees, or an empty object. */
export function presenceOf(map: PresenceMap, cameraId: string): SeenObjects {
  return map[cameraId.toLowerCase()] ?? {};
}

/** "person ×2, car": most first, then by name; "" when nothing is in view. */
export function presenceLabel(objects: SeenObjects): string {
  return Object.entries(objects)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => (count > 1 ? `${name} ×${count}` : name))
    .join(', ');
}
