/** The values JavaScript functions take and return (js-library.ts): JSON values, null for Kusto's null. */
export type JsValue = null | boolean | number | string | JsValue[] | { [key: string]: JsValue };

/** One JavaScript function of the library, by Kusto name. */
export type JsFn = (...args: JsValue[]) => JsValue | undefined;
