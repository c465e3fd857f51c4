/** geo_from_wkt: Well-Known Text to GeoJSON through @terraformer/wkt; text it cannot parse answers null. */
import { terraformerWkt } from './libs.js';

export function fromWkt(text: string): unknown {
  try {
    return terraformerWkt.wktToGeoJSON(text);
  } catch {
    return null;
  }
}
