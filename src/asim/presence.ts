/**
 * Which CommonSecurityLog sources a store holds, asked once per run: the ASIM parsers then leave out
 * the sources with no rows (source.ts `SourcePresence`), whose case arms would cost every row.
 */
import type { Store } from '../store/db.js';
import type { SourcePresence } from './source.js';

/** The DeviceVendor values in CommonSecurityLog ('' for none); undefined when it cannot be asked. */
export async function asimVendors(store: Store): Promise<SourcePresence> {
  if (!store.schemas.has('CommonSecurityLog')) return undefined;
  try {
    const rows = await store.query(`SELECT DISTINCT coalesce(DeviceVendor, '') AS v FROM CommonSecurityLog`);
    return new Set(rows.map((r) => String(r.v)));
  } catch {
    return undefined;
  }
}
