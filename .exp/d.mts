import { DuckDBInstance } from '@duckdb/node-api';
import { Store } from '../src/store/db.js';
const store = await Store.open();
const keys = ['TimeGenerated','ReceiptTime','SourceIP','Activity'];
const spec = `'TimeGenerated':'TIMESTAMP','DeviceVendor':'VARCHAR','DeviceProduct':'VARCHAR','DeviceVersion':'VARCHAR','DeviceEventClassID':'VARCHAR','Activity':'VARCHAR','LogSeverity':'VARCHAR','Computer':'VARCHAR','ReceiptTime':'VARCHAR','SourceIP':'VARCHAR','SourcePort':'INTEGER','DestinationIP':'VARCHAR','DestinationPort':'INTEGER','_Source':'VARCHAR'`;
for (const extra of ['', ", maximum_object_size=67108864", ", timestampformat='%Y-%m-%dT%H:%M:%S.%gZ'"]) {
  let t = performance.now();
  await store.run(`INSERT INTO CommonSecurityLog BY NAME SELECT * FROM read_ndjson('/tmp/exp/cef.ndjson', columns={${spec}}${extra})`);
  console.log(extra, (performance.now() - t).toFixed(0));
}
