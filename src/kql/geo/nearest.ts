/** Nearest points on lines (and on polygon boundaries, as closed lines), through S2's polyline projection. */
import { s2 } from './libs.js';
import { EARTH_RADIUS_M, dedupe, fromPoint, toPoint, type LngLat } from './shapes.js';

export const polyline = (line: LngLat[]): s2.Polyline => new s2.Polyline(dedupe(line).map(toPoint));

/** The point on the lines nearest to p, and its distance in metres. */
export function closestOnLines(p: LngLat, lines: LngLat[][]): { at: LngLat; metres: number } | null {
  if (lines.some((l) => dedupe(l).length < 2)) return null;
  const target = toPoint(p);
  let best: { at: s2.Point; d: number } | undefined;
  for (const l of lines) {
    const [at] = polyline(l).project(target);
    const d = target.distance(at);
    if (!best || d < best.d) best = { at, d };
  }
  return best ? { at: fromPoint(best.at), metres: best.d * EARTH_RADIUS_M } : null;
}
