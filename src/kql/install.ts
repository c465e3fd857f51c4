/** What a DuckDB connection needs before it runs translated KQL: the library's JavaScript functions. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { FUNCTIONS } from './functions-library.js';
import { registerJsFunctions } from './udf.js';

export function installKqlFunctions(connection: DuckDBConnection): void {
  registerJsFunctions(connection, FUNCTIONS.jsFunctions());
}
