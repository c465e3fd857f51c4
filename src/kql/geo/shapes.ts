/**
 * GeoJSON in and out of Kusto's geo functions: validation by Kusto's rules (longitude in [-180, 180],
 * latitude in [-90, 90], a LineString of at least two positions, a closed ring of at least three distinct
 * vertices) and conversion to S2 points. Kusto measures on a sphere whose radius is S2's mean Earth radius
 * (6,371,010 m: the documented distances are exactly great-circle angles times it), with geodesic edges.
 */
import { s2 } from './libs.js';

export type LngLat = [number, number];
/** One polygon: its shell, then its holes; each ring closed (first position = last). */
export type Rings = LngLat[][];

export const EARTH_RADIUS_M = 6371010;
const DEG = 180 / Math.PI;

export function validLngLat(lng: unknown, lat: unknown): boolean {
  return (
    typeof lng === 'number' &&
    typeof lat === 'number' &&
    Number.isFinite(lng) &&
    Number.isFinite(lat) &&
    Math.abs(lng) <= 180 &&
    Math.abs(lat) <= 90
  );
}

export const toPoint = ([lng, lat]: LngLat): s2.Point => s2.Point.fromLatLng(s2.LatLng.fromDegrees(lat, lng));

export function fromPoint(p: s2.Point): LngLat {
  return [s2.LatLng.longitude(p) * DEG, s2.LatLng.latitude(p) * DEG];
}

/** Metres along the sphere between two points. */
export const metres = (a: s2.Point, b: s2.Point): number => a.distance(b) * EARTH_RADIUS_M;

function position(v: unknown): LngLat | null {
  if (!Array.isArray(v) || v.length < 2 || !validLngLat(v[0], v[1])) return null;
  return [v[0] as number, v[1] as number];
}

function positions(v: unknown, min: number): LngLat[] | null {
  if (!Array.isArray(v) || v.length < min) return null;
  const out: LngLat[] = [];
  for (const p of v) {
    const q = position(p);
    if (!q) return null;
    out.push(q);
  }
  return out;
}

const samePosition = (a: LngLat, b: LngLat): boolean => a[0] === b[0] && a[1] === b[1];

/** Positions without consecutive repeats (a repeated vertex adds no edge). */
export function dedupe(points: LngLat[]): LngLat[] {
  return points.filter((p, i) => i === 0 || !samePosition(p, points[i - 1]));
}

function ring(v: unknown): LngLat[] | null {
  const pts = positions(v, 4);
  if (!pts || !samePosition(pts[0], pts[pts.length - 1])) return null;
  const distinct = new Set(pts.map((p) => `${p[0]},${p[1]}`));
  return distinct.size >= 3 ? pts : null;
}

function polygonRings(v: unknown): Rings | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const rings: Rings = [];
  for (const r of v) {
    const checked = ring(r);
    if (!checked) return null;
    rings.push(checked);
  }
  return rings;
}

/**
 * A MultiPolygon element wrapped in one more array, `[[shell, holes…]]`: Kusto reads it as the polygon
 * inside (its geo_point_in_polygon page builds such a MultiPolygon with pack_array(polygon.coordinates) and
 * prints the points inside it). Unambiguous: a ring's elements are positions, never arrays of positions.
 */
function wrappedPolygon(v: unknown): Rings | null {
  return Array.isArray(v) && v.length === 1 ? polygonRings(v[0]) : null;
}

function geometry(value: unknown): { type: string; coordinates: unknown } | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const g = value as { type?: unknown; coordinates?: unknown };
  return typeof g.type === 'string' ? { type: g.type, coordinates: g.coordinates } : null;
}

/** A valid Point's position, or null. */
export function point(value: unknown): LngLat | null {
  const g = geometry(value);
  return g?.type === 'Point' ? position(g.coordinates) : null;
}

/** Parses of one JSON object kept with it: a shape repeated on every row is validated once. */
function memo<T>(parse: (value: unknown) => T | null): (value: unknown) => T | null {
  const seen = new WeakMap<object, T | null>();
  return (value) => {
    if (!value || typeof value !== 'object') return null;
    if (!seen.has(value)) seen.set(value, parse(value));
    return seen.get(value) as T | null;
  };
}

/** The lines of a LineString or MultiLineString, or null when invalid. */
export const lines = memo(parseLines);

/** The polygons of a Polygon or MultiPolygon, or null when invalid. */
export const polygons = memo(parsePolygons);

function parseLines(value: unknown): LngLat[][] | null {
  const g = geometry(value);
  if (g?.type === 'LineString') {
    const line = positions(g.coordinates, 2);
    return line ? [line] : null;
  }
  if (g?.type === 'MultiLineString' && Array.isArray(g.coordinates) && g.coordinates.length > 0) {
    const out: LngLat[][] = [];
    for (const c of g.coordinates) {
      const line = positions(c, 2);
      if (!line) return null;
      out.push(line);
    }
    return out;
  }
  return null;
}

function parsePolygons(value: unknown): Rings[] | null {
  const g = geometry(value);
  if (g?.type === 'Polygon') {
    const p = polygonRings(g.coordinates);
    return p ? [p] : null;
  }
  if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates) && g.coordinates.length > 0) {
    const out: Rings[] = [];
    for (const c of g.coordinates) {
      const p = polygonRings(c) ?? wrappedPolygon(c);
      if (!p) return null;
      out.push(p);
    }
    return out;
  }
  return null;
}

/**
 * An S2 loop of a closed ring, normalized so it encloses at most a hemisphere (the smaller region, as
 * for Kusto: a ring's orientation does not turn a small polygon into the rest of the Earth).
 */
export function loop(r: LngLat[]): s2.Loop {
  const l = new s2.Loop(dedupe(r.slice(0, -1)).map(toPoint));
  l.normalize();
  return l;
}

const built = new WeakMap<Rings, s2.Polygon>();

/** An S2 polygon of one GeoJSON polygon (shell and holes); built once per parsed shape. */
export function s2Polygon(rings: Rings): s2.Polygon {
  let p = built.get(rings);
  if (!p) {
    p = new s2.Polygon(rings.map(loop));
    built.set(rings, p);
  }
  return p;
}

export const pointJson = ([lng, lat]: LngLat) => ({ type: 'Point', coordinates: [lng, lat] });
