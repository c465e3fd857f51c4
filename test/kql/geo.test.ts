/**
 * Kusto's geo functions against the values Microsoft's KQL reference documents for them (its examples),
 * plus the null answers for invalid input and a many-row run through the DuckDB scalar functions.
 */
import { describe, expect, it } from 'vitest';
import { GEO_CATALOG } from '../../src/kql/geo/catalog.js';
import { useEvaluator } from './fn-eval.js';

const { value, run } = useEvaluator();

const CENTRAL_PARK =
  '{"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],[-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]}';
const SECOND =
  '[[[-73.94262313842773,40.775991804565585],[-73.98107528686523,40.791849155467695],[-73.99600982666016,40.77092185281977],[-73.96150588989258,40.75609977566361],[-73.94262313842773,40.775991804565585]]]';
const TWO_PARKS = `{"type":"MultiPolygon","coordinates":[${JSON.stringify(JSON.parse(CENTRAL_PARK).coordinates)},${SECOND}]}`;

const coords = (v: unknown) => (v as { coordinates: unknown }).coordinates;

describe('geo: points on the sphere', () => {
  it('measures great-circle distances, azimuths and angles as Kusto does', async () => {
    expect(await value('geo_distance_2points(-122.407628, 47.578557, -118.275287, 34.019056)')).toBeCloseTo(
      1546754.35197381,
      6,
    );
    expect(await value('geo_azimuth(5, 10, 10, -40)')).toBeCloseTo(3.05459939796449, 12);
    expect(await value('geo_angle(0, 10, 0, 5, 3, -10)')).toBeCloseTo(2.94493843406882, 12);
    expect(await value('geo_point_in_circle(-122.143564, 47.535677, -122.100896, 47.527351, 3500)')).toBe(
      true,
    );
  });

  it('answers null for coordinates out of range and coincident points', async () => {
    expect(await value('geo_distance_2points(300, 1, 1, 1)')).toBeNull();
    expect(await value('isnull(geo_azimuth(5, 10, 5, 10))')).toBe(true);
    expect(await value('isnull(geo_angle(0, 10, 0, 10, 3, -10))')).toBe(true);
    expect(await value('geo_point_in_circle(1, 1, 1, 1, -1)')).toBeNull();
  });
});

describe('geo: grids', () => {
  it('geohash: cell, centre, neighbours; invalid hashes are null', async () => {
    expect(await value('geo_point_to_geohash(-122.303404, 47.570482)')).toBe('c23n8');
    expect(coords(await value('geo_geohash_to_central_point("sunny")'))).toEqual([
      42.47314453125, 23.70849609375,
    ]);
    expect(new Set((await value("geo_geohash_neighbors('sunny')")) as string[])).toEqual(
      new Set(['sunnt', 'sunpj', 'sunnx', 'sunpn', 'sunnv', 'sunpp', 'sunnz', 'sunnw']),
    );
    expect(await value("isnull(geo_geohash_neighbors('a'))")).toBe(true);
    expect(await value('geo_point_to_geohash(1, 1, int(null))')).toBe('');
  });

  it('S2: token, polygon, neighbours, covering', async () => {
    expect(await value('geo_point_to_s2cell(-80.195829, 25.802215, 8)')).toBe('88d9b');
    const ring = coords(await value('geo_s2cell_to_polygon("89c259")')) as number[][][];
    expect(ring[0][0][0]).toBeCloseTo(-74.03001224983848, 12);
    expect(ring[0][2]).toEqual([
      expect.closeTo(-73.93598211433742, 12),
      expect.closeTo(40.708880489804564, 12),
    ]);
    expect(((await value("geo_s2cell_neighbors('89c259')")) as string[]).sort()).toEqual(
      ['89c25d', '89c2f9', '89c251', '89c257', '89c25f', '89c25b', '89c2f7', '89c2f5'].sort(),
    );
    const triangle = '{"type":"Polygon","coordinates":[[[0,0],[0,50],[100,50],[0,0]]]}';
    expect(await value(`array_length(geo_polygon_to_s2cells(dynamic(${triangle}), 5))`)).toBe(286);
    expect(await value(`isnull(geo_polygon_to_s2cells(dynamic(${triangle}), 30))`)).toBe(true);
    expect(await value('geo_point_to_s2cell(1, 1, 35)')).toBe('');
  });

  it('H3: level, parent, children, rings, polygon', async () => {
    expect(await value("geo_h3cell_level('862a1072fffffff')")).toBe(6);
    expect(await value("geo_h3cell_parent('862a1072fffffff', 1)")).toBe('812a3ffffffffff');
    expect(await value('geo_h3cell_level(geo_h3cell_parent(geo_point_to_h3cell(1, 1, 10)))')).toBe(9);
    expect(await value("array_length(geo_h3cell_children('862a1072fffffff', 9))")).toBe(343);
    expect(await value('isnull(geo_h3cell_children(geo_point_to_h3cell(1, 1, 9), 15))')).toBe(true);
    expect(await value("geo_h3cell_rings('861f8894fffffff', 1)[1]")).toEqual([
      '861f88947ffffff',
      '861f8895fffffff',
      '861f88867ffffff',
      '861f8d497ffffff',
      '861f8d4b7ffffff',
      '861f8896fffffff',
    ]);
    const hex = coords(await value('geo_h3cell_to_polygon("862a1072fffffff")')) as number[][][];
    expect(hex[0][1]).toEqual([
      expect.closeTo(-74.04690802968624, 12),
      expect.closeTo(40.727986222489115, 12),
    ]);
    expect(await value("isempty(geo_h3cell_parent('862a1072fffffff', 15))")).toBe(true);
  });
});

describe('geo: lines and polygons', () => {
  it('area, perimeter and centroid of a polygon; a multipolygon counts its overlap once', async () => {
    expect(await value(`geo_polygon_area(dynamic(${CENTRAL_PARK}))`)).toBeCloseTo(3475207.28346606, 3);
    expect(await value(`geo_polygon_perimeter(dynamic(${CENTRAL_PARK}))`)).toBeCloseTo(9930.30149604938, 5);
    expect(coords(await value(`geo_polygon_centroid(dynamic(${CENTRAL_PARK}))`))).toEqual([
      expect.closeTo(-73.965735689907618, 10),
      expect.closeTo(40.782550538057812, 10),
    ]);
    expect(await value(`geo_polygon_area(dynamic(${TWO_PARKS}))`)).toBeCloseTo(10889971.5343487, 2);
    expect(await value(`geo_polygon_perimeter(dynamic(${TWO_PARKS}))`)).toBeCloseTo(15943.5384578745, 4);
  });

  it('a polygon with two distinct vertices is invalid', async () => {
    const flat = '{"type":"Polygon","coordinates":[[[0,0],[10,10],[10,10],[0,0]]]}';
    expect(await value(`isnull(geo_polygon_area(dynamic(${flat})))`)).toBe(true);
    expect(await value(`geo_distance_point_to_polygon(1, 1, dynamic(${flat}))`)).toBeNull();
  });

  it('point in polygon and distances from a point to shapes', async () => {
    const r = await run(
      `datatable(lng:real, lat:real, name:string) [-73.9656, 40.7825, 'park', -73.9495, 40.7969, 'vertex', -73.9839, 40.7705, 'west']
       | extend inside = geo_point_in_polygon(lng, lat, dynamic(${CENTRAL_PARK})), d = geo_distance_point_to_polygon(lng, lat, dynamic(${CENTRAL_PARK}))
       | order by name asc`,
    );
    expect(r.rows.map((x) => [x.name, x.inside])).toEqual([
      ['park', true],
      ['vertex', true],
      ['west', false],
    ]);
    expect(r.rows.map((x) => x.d)).toEqual([0, 0, expect.closeTo(259.940756070596, 6)]);
  });

  it('reads a MultiPolygon whose polygons carry one extra array, as Kusto does', async () => {
    const wrapped = `{"type":"MultiPolygon","coordinates":[[${JSON.stringify(JSON.parse(CENTRAL_PARK).coordinates)}]]}`;
    expect(await value(`geo_point_in_polygon(-73.9656, 40.7825, dynamic(${wrapped}))`)).toBe(true);
    expect(await value(`geo_point_in_polygon(-73.9839, 40.7705, dynamic(${wrapped}))`)).toBe(false);
  });

  it('line length, centroid, interpolation, densify and simplify', async () => {
    const line = '{"type":"LineString","coordinates":[[-73.95796, 40.80042], [-73.97317, 40.764486]]}';
    expect(coords(await value(`geo_line_centroid(dynamic(${line}))`))).toEqual([
      expect.closeTo(-73.965567057230942, 10),
      expect.closeTo(40.782453249627416, 10),
    ]);
    expect(coords(await value(`geo_line_interpolate_point(dynamic(${line}), 0.25)`))).toEqual([
      expect.closeTo(-73.961764043218281, 10),
      expect.closeTo(40.791436687257232, 10),
    ]);
    const dense = await value(
      'geo_line_densify(dynamic({"type":"LineString","coordinates":[[50, 50], [51, 51]]}))',
    );
    expect(coords(dense)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => [50 + i / 8, 50 + i / 8]));
    expect(
      await value('geo_line_densify(dynamic({"type":"LineString","coordinates":[[1,1],[2,2]]}), 0)'),
    ).toBeNull();
    expect(
      await value('isnull(geo_line_length(dynamic({"type":"LineString","coordinates":[[1, 1]]})))'),
    ).toBe(true);
    const tiny = '{"type":"LineString","coordinates":[[1.1, 1.1],[1.2,1.2]]}';
    expect(await value(`isnull(geo_line_simplify(dynamic(${tiny}), 100000))`)).toBe(true);
    expect(coords(await value(`geo_line_simplify(dynamic(${tiny}), 10)`))).toEqual([
      [1.1, 1.1],
      [1.2, 1.2],
    ]);
  });

  it('overlays: crossings of lines, union and intersection of polygons on geodesic edges', async () => {
    const a = '{"type":"LineString","coordinates":[[-73.978929,40.785155],[-73.980903,40.782621]]}';
    const b = '{"type":"LineString","coordinates":[[-73.985195,40.788275],[-73.974552,40.779761]]}';
    expect(await value(`geo_intersects_2lines(dynamic(${a}), dynamic(${b}))`)).toBe(true);
    expect(coords(await value(`geo_intersection_2lines(dynamic(${a}), dynamic(${b}))`))).toEqual([
      expect.closeTo(-73.97983711667098, 10),
      expect.closeTo(40.78398928977217, 10),
    ]);
    // the edge [2,45]-[0,45] is a geodesic, bulging north of the parallel: Kusto's crossing is at 45.0039
    const p1 = '{"type":"Polygon","coordinates":[[[2,45],[0,45],[1,44],[2,45]]]}';
    const p2 =
      '{"type":"Polygon","coordinates":[[[1.192,45.265],[1.005,44.943],[1.356,44.937],[1.192,45.265]]]}';
    const cut = coords(
      await value(`geo_intersection_2polygons(dynamic(${p1}), dynamic(${p2}))`),
    ) as number[][][];
    expect(cut[0]).toContainEqual([
      expect.closeTo(1.3227075526410679, 10),
      expect.closeTo(45.00390914506874, 10),
    ]);
    expect(await value(`geo_from_wkt("LINESTRING (1 2, 3 4)")`)).toEqual({
      type: 'LineString',
      coordinates: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(await value('isnull(geo_from_wkt("LINESTRING"))')).toBe(true);
  });

  it('reports where two polygons only touch, and the part of a line inside a polygon', async () => {
    const a = '{"type":"Polygon","coordinates":[[[2,45],[0,45],[1,44],[2,45]]]}';
    const b = '{"type":"Polygon","coordinates":[[[3,44],[2,45],[2,43],[3,44]]]}';
    expect(await value(`geo_intersection_2polygons(dynamic(${a}), dynamic(${b}))`)).toEqual({
      type: 'Point',
      coordinates: [2, 45],
    });
    const square = '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}';
    const across = '{"type":"LineString","coordinates":[[-1,0.5],[2,0.5]]}';
    const inside = coords(
      await value(`geo_intersection_line_with_polygon(dynamic(${across}), dynamic(${square}))`),
    );
    // the geodesic from (-1, 0.5) to (2, 0.5) bulges ~17 m north of the parallel where it enters (x = 0) and leaves (x = 1)
    expect(inside).toEqual([
      [expect.closeTo(0, 9), expect.closeTo(0.50015, 5)],
      [expect.closeTo(1, 9), expect.closeTo(0.50015, 5)],
    ]);
    const far = '{"type":"LineString","coordinates":[[5,5],[6,6]]}';
    expect(await value(`geo_intersection_line_with_polygon(dynamic(${far}), dynamic(${square}))`)).toEqual({
      type: 'GeometryCollection',
      geometries: [],
    });
    expect(
      await value(
        'array_length(geo_line_to_s2cells(dynamic({"type":"LineString","coordinates":[[0,0],[0,1]]}), 8))',
      ),
    ).toBeGreaterThan(1);
    expect(
      await value(
        'isnull(geo_line_to_s2cells(dynamic({"type":"LineString","coordinates":[[[0,0],[0,0]]]})))',
      ),
    ).toBe(true);
  });

  it('geo_polygon_lookup and geo_line_lookup join points to the shapes that hold them', async () => {
    const r = await run(
      `let zones = datatable(name:string, zone:dynamic) [
         'square', dynamic(${'{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}'}),
         'far', dynamic(${'{"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,10]]]}'})];
       datatable(p:string, lng:real, lat:real) ['in', 0.5, 0.5, 'near', 1.001, 0.5, 'out', 5, 5]
       | evaluate geo_polygon_lookup(zones, zone, lng, lat, return_unmatched = true)
       | order by p asc`,
    );
    expect(r.columns).toEqual(['p', 'lng', 'lat', 'name']);
    expect(r.rows.map((x) => [x.p, x.name])).toEqual([
      ['in', 'square'],
      ['near', null],
      ['out', null],
    ]);
    const near = await run(
      `let roads = datatable(road:string, line:dynamic) ['r', dynamic(${'{"type":"LineString","coordinates":[[0,0],[0,1]]}'})];
       datatable(p:string, lng:real, lat:real) ['close', 0.0005, 0.5, 'away', 0.01, 0.5]
       | evaluate geo_line_lookup(roads, line, lng, lat, 100)`,
    );
    expect(near.rows.map((x) => [x.p, x.road])).toEqual([['close', 'r']]);
  });

  it('runs row by row over more rows than one DuckDB chunk, parsing the shared polygon once', async () => {
    const r = await run(
      `range i from 0 to 4999 step 1
       | extend lng = -73.99 + i * 0.00001, lat = 40.78
       | summarize inside = countif(geo_point_in_polygon(lng, lat, dynamic(${CENTRAL_PARK}))), cells = dcount(geo_point_to_s2cell(lng, lat, 16))`,
    );
    const inPark = GEO_CATALOG.geo_point_in_polygon.run as (lng: number, lat: number, p: unknown) => boolean;
    const park = JSON.parse(CENTRAL_PARK);
    const expected = Array.from({ length: 5000 }, (_, i) => inPark(-73.99 + i * 0.00001, 40.78, park));
    expect(expected.filter(Boolean).length).toBeGreaterThan(100);
    expect(r.rows[0].inside).toBe(expected.filter(Boolean).length);
    expect(Number(r.rows[0].cells)).toBeGreaterThan(1);
  });
});
