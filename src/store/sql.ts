/** Quoting for the SQL the store writes (identifiers and literals; values are never spliced unquoted). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
