/**
 * JSON.parse loses positions; rejects and `_Source` need line numbers. This scanner walks the text once
 * and reports the 1-based line where each object at a given nesting depth opens, in document order —
 * the same order JSON.parse yields them.
 */

/**
 * Lines of objects opening at `depth` (the root value is depth 0). If `underKey` is set, only objects
 * inside the root object's member of that name count (API responses: entries of `data`).
 */
export function objectLines(text: string, depth: number, underKey?: string): number[] {
  return objectLinesWhere(
    text,
    (path) => path.length === depth && (underKey === undefined || path[0] === underKey),
  );
}

/**
 * Lines of the objects whose JSON path (member names and array indexes from the root) satisfies
 * `wanted`, in document order: for nested shapes such as MISP's `Event.Object[i].Attribute[j]`.
 */
export function objectLinesWhere(
  text: string,
  wanted: (path: ReadonlyArray<string | number>) => boolean,
): number[] {
  return [...objectLineMap(text, wanted).values()];
}

/** The same as a map from the dotted path (`Event.Attribute.3`) to the line. */
export function objectLineMap(
  text: string,
  wanted: (path: ReadonlyArray<string | number>) => boolean,
): Map<string, number> {
  const lines = new Map<string, number>();
  const path: Array<string | number> = [];
  const frames: Array<'{' | '['> = [];
  let line = 1;
  let inString = false;
  let stringStart = 0;
  let lastString = '';
  let valueStarted = false; // in an array: has the current element begun?
  const beginValue = () => {
    if (frames.at(-1) === '[' && !valueStarted) {
      path[path.length - 1] = (path.at(-1) as number) + 1;
      valueStarted = true;
    }
  };
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') k++;
      else if (c === '"') {
        inString = false;
        lastString = text.slice(stringStart, k);
      }
      continue;
    }
    if (c === '"') {
      beginValue();
      inString = true;
      stringStart = k + 1;
    } else if (c === ':' && frames.at(-1) === '{') path[path.length - 1] = lastString;
    else if (c === ',') valueStarted = false;
    else if (c === '{' || c === '[') {
      beginValue();
      if (c === '{' && wanted(path)) lines.set(path.join('.'), line);
      frames.push(c);
      path.push(c === '[' ? -1 : '');
      valueStarted = false;
    } else if (c === '}' || c === ']') {
      frames.pop();
      path.pop();
      valueStarted = true;
    } else if (c !== ' ' && c !== '\n' && c !== '\t' && c !== '\r') beginValue();
  }
  return lines;
}
