/**
 * One CSV record split into fields. ThreatFox writes `"a", "b"` (a space after each comma), other tools
 * write RFC 4180; both are read here so every CSV importer shares one set of quoting rules.
 */

/** One CSV record: quoted fields ("" escapes a quote) separated by `,` with optional spaces. */
export function splitCsvRecord(line: string, delimiter = ','): string[] {
  const fields: string[] = [];
  let k = 0;
  for (;;) {
    while (line[k] === ' ' || (line[k] === '\t' && delimiter !== '\t')) k++;
    let field = '';
    if (line[k] === '"') {
      k++;
      for (;;) {
        if (k >= line.length) throw new Error('unterminated quoted field');
        if (line[k] === '"') {
          if (line[k + 1] === '"') {
            field += '"';
            k += 2;
            continue;
          }
          k++;
          break;
        }
        field += line[k++];
      }
      while (line[k] === ' ' || (line[k] === '\t' && delimiter !== '\t')) k++;
    } else {
      const end = line.indexOf(delimiter, k);
      field = (end === -1 ? line.slice(k) : line.slice(k, end)).trim();
      k = end === -1 ? line.length : end;
    }
    fields.push(field);
    if (k >= line.length) return fields;
    if (line[k] !== delimiter)
      throw new Error(`unexpected ${JSON.stringify(line[k])} after field ${fields.length}`);
    k++;
  }
}
