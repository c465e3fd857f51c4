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
  const lines: number[] = [];
  let line = 1;
  let level = 0;
  let inString = false;
  let stringStart = 0;
  let lastString = '';
  let rootKey: string | undefined;
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
      inString = true;
      stringStart = k + 1;
    } else if (c === ':' && level === 1) rootKey = lastString;
    else if (c === '{' || c === '[') {
      if (c === '{' && level === depth && (underKey === undefined || rootKey === underKey)) lines.push(line);
      level++;
    } else if (c === '}' || c === ']') level--;
  }
  return lines;
}
