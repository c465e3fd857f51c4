/**
 * The gnomonic projection centred on a set of shapes: it maps every great circle to a straight line, so
 * planar clipping in it computes the overlay of geodesic edges exactly (Kusto's edges are geodesics).
 * It covers the open hemisphere around its centre; shapes reaching beyond it have no projection.
 */
import { s2 } from './libs.js';
import { fromPoint, toPoint, type LngLat } from './shapes.js';

export interface Gnomonic {
  forward(p: LngLat): [number, number];
  inverse(xy: [number, number]): LngLat;
}

/** A projection for these positions, or null when they do not fit well inside one hemisphere. */
export function gnomonicFor(positions: LngLat[]): Gnomonic | null {
  const vectors = positions.map((p) => toPoint(p).vector);
  const sum = vectors.reduce((a, v) => a.add(v));
  if (sum.norm() === 0) return null;
  const e = sum.normalize();
  if (vectors.some((v) => v.dot(e) < 0.01)) return null;
  const axis = Math.abs(e.z) < 0.9 ? new s2.Point(0, 0, 1).vector : new s2.Point(1, 0, 0).vector;
  const u = axis.cross(e).normalize();
  const w = e.cross(u);
  // input positions map back to themselves exactly, not through a rounding round trip
  const known = new Map<string, LngLat>();
  const forward = (p: LngLat): [number, number] => {
    const v = toPoint(p).vector;
    const d = v.dot(e);
    const xy: [number, number] = [v.dot(u) / d, v.dot(w) / d];
    known.set(`${xy[0]},${xy[1]}`, p);
    return xy;
  };
  const inverse = ([x, y]: [number, number]): LngLat =>
    known.get(`${x},${y}`) ?? fromPoint(s2.Point.fromVector(e.add(u.mul(x)).add(w.mul(y)).normalize()));
  return { forward, inverse };
}
