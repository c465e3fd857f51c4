/** The one function of @terraformer/wkt used here (the package ships no types). */
declare module '@terraformer/wkt' {
  export function wktToGeoJSON(wkt: string): unknown;
}
