/**
 * Colours and order of detection classes for the ruler's markers, the legend and the counts
 * (none of them the footage blue, so a marker never reads as footage).
 * Common classes have fixed, distinct colours; any other class gets one from a spare palette by
 * a stable hash of its name, so a class keeps its colour across days and reloads.
 */

const FIXED: Record<string, string> = {
  person: '#f97316',
  car: '#c084fc',
  truck: '#818cf8',
  bus: '#a78bfa',
  motorcycle: '#2dd4bf',
  bicycle: '#4ade80',
  dog: '#facc15',
  cat: '#f472b6',
  bird: '#a3e635',
};

const SPARE = ['#fb7185', '#34d399', '#fbbf24', '#fda4af', '#f87171', '#e879f9', '#d9f99d', '#fdba74'];

/** The colour of a class's markers and legend swatch. */
export function classColor(name: string): string {
  const fixed = FIXED[name];
  if (fixed) return fixed;
  let hash = 0;
  for (let i = 0; i < name.length; i += 1) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return SPARE[hash % SPARE.length];
}

/** Classes with their day counts, most detections first, then by name. */
export function rankedClasses(counts: Record<string, number>): { name: string; count: number }[] {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** Several cameras' counts added up per class. */
export function sumCounts(list: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const counts of list) {
    for (const [name, count] of Object.entries(counts)) total[name] = (total[name] ?? 0) + count;
  }
  return total;
}
