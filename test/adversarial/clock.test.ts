// Issue 11 item 6: one CEF line dated `Dec 31 9999` must not move the replay clock and hide the incident.
import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hunt } from '../../src/index.js';
import { repoRoot, scratchDir } from '../helpers.js';

const tmp = scratchDir('adv-clock');

describe('replay clock and far-future outliers', () => {
  it('mirai-worm-propagation still fires on examples/incident; the outlier is reported', async () => {
    const incident = join(tmp.dir, 'incident');
    cpSync(join(repoRoot, 'examples/incident'), incident, { recursive: true });
    appendFileSync(
      join(incident, 'firewall/edge-fw.cef.log'),
      '<134>Dec 31 23:59:59 fw-edge-01 CEF:0|Acme|EdgeFirewall|7.2|200|Connection allowed|3|rt=Dec 31 9999 23:59:59 src=10.20.0.21 spt=34892 dst=140.82.121.4 dpt=123 proto=TCP act=accept dvchost=fw-edge-01\n',
    );
    const result = await hunt([incident], { intelDb: undefined });
    expect(result.findings.map((f) => f.huntId)).toContain('mirai-worm-propagation');
    expect(result.warnings).toEqual([
      '1 event dated in the future (latest 9999-12-31T23:59:59.000Z): outliers, kept off the replay clock (run with --now to set it)',
    ]);
  }, 240_000);
});
