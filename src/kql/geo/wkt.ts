/** geo_from_wkt: Well-Known Text to GeoJSON through @terraformer/wkt; text it cannot parse answers null. */
import { wktToGeoJSON } from '@terraformer/wkt';

export function fromWkt(text: string): unknown {
  try {
    return wktToGeoJSON(text);
  } catch {
    return null;
  }
}
