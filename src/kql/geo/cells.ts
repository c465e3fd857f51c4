/**
 * Kusto's three grid systems: geohash (ngeohash), S2 cells (s2js, the port of Google's S2) and H3 cells
 * (h3-js, Uber's H3 compiled to JS). Each function returns null for an invalid token or a level out of
 * Kusto's range; the callers turn null strings into "".
 */
import { h3, ngeohash, s2 } from './libs.js';
import { dedupe, fromPoint, s2Polygon, toPoint, type LngLat, type Rings } from './shapes.js';

const GEOHASH = /^[0-9b-hjkmnp-z]{1,18}$/;

const polygonOf = (ring: LngLat[]) => ({ type: 'Polygon', coordinates: [ring] });

export function pointToGeohash([lng, lat]: LngLat, accuracy: number): string | null {
  return Number.isInteger(accuracy) && accuracy >= 1 && accuracy <= 18
    ? ngeohash.encode(lat, lng, accuracy)
    : null;
}

/** [south, west, north, east] of a valid geohash. */
function geohashBox(hash: string): [number, number, number, number] | null {
  return GEOHASH.test(hash) ? ngeohash.decode_bbox(hash) : null;
}

export function geohashCenter(hash: string): LngLat | null {
  const box = geohashBox(hash);
  return box ? [(box[1] + box[3]) / 2, (box[0] + box[2]) / 2] : null;
}

export function geohashPolygon(hash: string) {
  const box = geohashBox(hash);
  if (!box) return null;
  const [s, w, n, e] = box;
  return polygonOf([
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ]);
}

export function geohashNeighbors(hash: string): string[] | null {
  return GEOHASH.test(hash) ? ngeohash.neighbors(hash) : null;
}

/** A valid S2 cell of a token (at most 16 hex digits, as Kusto accepts). */
function s2Cell(token: string): bigint | null {
  if (!/^[0-9a-f]{1,16}$/i.test(token)) return null;
  const id = s2.cellid.fromToken(token);
  return s2.cellid.valid(id) ? id : null;
}

export function pointToS2Cell(p: LngLat, level: number): string | null {
  if (!Number.isInteger(level) || level < 0 || level > 30) return null;
  return s2.cellid.toToken(s2.cellid.parent(s2.cellid.fromPoint(toPoint(p)), level));
}

export function s2CellCenter(token: string): LngLat | null {
  const id = s2Cell(token);
  return id === null ? null : fromPoint(s2.cellid.point(id));
}

export function s2CellPolygon(token: string) {
  const id = s2Cell(token);
  if (id === null) return null;
  const cell = s2.Cell.fromCellID(id);
  const ring = [0, 1, 2, 3].map((k) => fromPoint(cell.vertex(k)));
  return polygonOf([...ring, ring[0]]);
}

export function s2CellNeighbors(token: string): string[] | null {
  const id = s2Cell(token);
  return id === null ? null : s2.cellid.allNeighbors(id, s2.cellid.level(id)).map(s2.cellid.toToken);
}

/** Kusto's limit on one covering. */
const MAX_COVERING_CELLS = 65536;

/**
 * S2 cells of one level covering the polygons (geodesic edges); null when the level is out of range or
 * the covering would pass Kusto's limit (estimated from the area first, so a fine level fails fast).
 */
export function polygonToS2Cells(polys: Rings[], level: number): string[] | null {
  if (!validS2Level(level)) return null;
  const shapes = polys.map(s2Polygon);
  const area = shapes.reduce((sum, s) => sum + s.area(), 0);
  return area / cellArea(level) > 2 * MAX_COVERING_CELLS ? null : covering(shapes, level);
}

/** S2 cells of one level covering the lines (geodesic edges), with the same limits. */
export function lineToS2Cells(lines: LngLat[][], level: number): string[] | null {
  if (!validS2Level(level) || lines.some((l) => dedupe(l).length < 2)) return null;
  const shapes = lines.map((l) => new s2.Polyline(dedupe(l).map(toPoint)));
  const length = shapes.reduce((sum, s) => sum + s.length(), 0);
  return (length / Math.sqrt(cellArea(level))) * 3 > 2 * MAX_COVERING_CELLS ? null : covering(shapes, level);
}

const validS2Level = (level: number): boolean => Number.isInteger(level) && level >= 0 && level <= 30;

/** Mean area of an S2 cell of a level, in steradians. */
const cellArea = (level: number): number => (4 * Math.PI) / (6 * 4 ** level);

function covering(shapes: s2.Region[], level: number): string[] | null {
  const coverer = new s2.RegionCoverer({ minLevel: level, maxLevel: level, maxCells: MAX_COVERING_CELLS });
  const ids = new Set<bigint>();
  for (const shape of shapes) for (const id of coverer.covering(shape)) ids.add(id);
  if (ids.size > MAX_COVERING_CELLS) return null;
  return [...ids].sort(s2.cellid.ascending).map(s2.cellid.toToken);
}

const H3_MAX_CHILD_LEVELS = 5;
const H3_MAX_RING = 142;

const h3Level = (cell: string): number | null => (h3.isValidCell(cell) ? h3.getResolution(cell) : null);

export function pointToH3Cell([lng, lat]: LngLat, resolution: number): string | null {
  return Number.isInteger(resolution) && resolution >= 0 && resolution <= 15
    ? h3.latLngToCell(lat, lng, resolution)
    : null;
}

export function h3CellLevel(cell: string): number | null {
  return h3Level(cell);
}

export function h3CellCenter(cell: string): LngLat | null {
  if (h3Level(cell) === null) return null;
  const [lat, lng] = h3.cellToLatLng(cell);
  return [lng, lat];
}

export function h3CellPolygon(cell: string) {
  return h3Level(cell) === null ? null : polygonOf(h3.cellToBoundary(cell, true) as LngLat[]);
}

export function h3CellParent(cell: string, resolution: number | undefined): string | null {
  const level = h3Level(cell);
  if (level === null) return null;
  const res = resolution ?? level - 1;
  return Number.isInteger(res) && res >= 0 && res <= level ? h3.cellToParent(cell, res) : null;
}

export function h3CellChildren(cell: string, resolution: number | undefined): string[] | null {
  const level = h3Level(cell);
  if (level === null) return null;
  const res = resolution ?? level + 1;
  if (!Number.isInteger(res) || res < level || res > 15 || res - level > H3_MAX_CHILD_LEVELS) return null;
  return h3.cellToChildren(cell, res);
}

export function h3CellNeighbors(cell: string): string[] | null {
  return h3Level(cell) === null ? null : h3.gridDisk(cell, 1).filter((c) => c !== cell);
}

export function h3CellRings(cell: string, distance: number): string[][] | null {
  if (h3Level(cell) === null || !Number.isInteger(distance) || distance < 0 || distance > H3_MAX_RING)
    return null;
  return h3.gridDiskDistances(cell, distance);
}

/** Kusto's limit on one polygon's H3 cells. */
const MAX_H3_CELLS = 61680;

/** H3 cells whose centers lie inside the polygons (H3's planar edges, as Kusto documents). */
export function polygonToH3Cells(polys: Rings[], resolution: number): string[] | null {
  if (!Number.isInteger(resolution) || resolution < 0 || resolution > 15) return null;
  const cells = new Set<string>();
  for (const rings of polys) for (const c of h3.polygonToCells(rings, resolution, true)) cells.add(c);
  return cells.size > MAX_H3_CELLS ? null : [...cells];
}
