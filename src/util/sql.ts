/** The one SQL quoting (DuckDB): identifiers and string literals, for the SQL the store and the KQL translator write. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
