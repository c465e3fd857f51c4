// Exclusions as code: YAML → KQL predicates, applied inside the hunt query, counted, linted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hunt, lintExclusionFiles, type HuntResult } from '../../src/index.js';
import { loadExclusions, parseExclusions, bundledExclusionsDir } from '../../src/hunts/exclusions/load.js';
import { withExclusionColumn, splitExcluded } from '../../src/hunts/exclusions/apply.js';
import { ExclusionSyntaxError } from '../../src/hunts/exclusions/when.js';
import { repoRoot, telltale } from '../helpers.js';

const NOW = new Date('2026-05-22T00:00:00Z');
const FIXTURE = `${repoRoot}/test/hunts/fixtures/bad-exclusions.yaml`;

describe('exclusion YAML', () => {
  it('compiles when-clauses to KQL: process names, users, CIDRs, regexes, one-off and daily windows', () => {
    const [e] = parseExclusions(
      `exclusions:
  - id: x
    reason: r
    hunts: [h1]
    expires: 2027-01-01
    when:
      - { column: InitiatingProcessFileName, in: [puppet, 'a"b'] }
      - { column: SourceIP, cidr: [10.0.0.0/8, 192.168.1.5/32] }
      - { column: InitiatingProcessCommandLine, matches: '^nc\\s' }
      - { column: FirstSeen, between: [2025-04-01T02:00:00Z, 2025-04-01T04:00:00Z] }
      - { column: FirstSeen, daily: "22:00-02:00" }
    predicate: InitiatingProcessAccountName =~ "svc"`,
      'x.yaml',
    );
    expect(e.predicate).toBe(
      [
        '(InitiatingProcessFileName in~ ("puppet", "a\\"b"))',
        '((ipv4_is_in_range(SourceIP, "10.0.0.0/8") or ipv4_is_in_range(SourceIP, "192.168.1.5/32")))',
        '(InitiatingProcessCommandLine matches regex "^nc\\\\s")',
        '(FirstSeen between (datetime(2025-04-01T02:00:00.000Z) .. datetime(2025-04-01T04:00:00.000Z)))',
        '(((FirstSeen - startofday(FirstSeen)) >= time(22:00:00) or (FirstSeen - startofday(FirstSeen)) <= time(02:00:00)))',
        '(InitiatingProcessAccountName =~ "svc")',
      ].join(' and '),
    );
    expect(e).toMatchObject({
      id: 'x',
      hunts: ['h1'],
      enabled: true,
      expires: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it('fails loudly on a malformed entry, naming file and entry', () => {
    expect(() => parseExclusions('exclusions:\n  - id: a\n', 'f.yaml')).toThrow(
      /f\.yaml: exclusions\[0\] \(a\): missing 'reason'/,
    );
    expect(() =>
      parseExclusions('exclusions:\n  - {id: a, reason: r, when: [{column: X, daily: "2am"}]}\n', 'f.yaml'),
    ).toThrow(ExclusionSyntaxError);
    expect(() =>
      parseExclusions(
        'exclusions:\n  - {id: a, reason: r, when: [{column: "X or true", in: [a]}]}\n',
        'f.yaml',
      ),
    ).toThrow(/must name a result column/);
  });

  it('ships every seed false-positive scenario as a disabled template', () => {
    const shipped = loadExclusions([bundledExclusionsDir]);
    expect(shipped.length).toBeGreaterThanOrEqual(10);
    expect(shipped.every((e) => !e.enabled)).toBe(true);
    expect(shipped.filter((e) => e.id.startsWith('seed000-')).length).toBe(5);
    expect(shipped.filter((e) => e.id.startsWith('seed002-')).length).toBeGreaterThanOrEqual(4);
  });

  it('marks rows inside the query and splits them off', () => {
    const q = withExclusionColumn('T\n| project A;\n', [
      { id: 'e1', predicate: 'A == 1' },
      { id: 'e2', predicate: 'A == 2' },
    ] as never);
    expect(q).toBe('T\n| project A\n| extend _ExcludedBy = iff(A == 1, "e1", iff(A == 2, "e2", ""))');
    const { kept, suppressed } = splitExcluded([
      { A: 1, _ExcludedBy: 'e1' },
      { A: 3, _ExcludedBy: '' },
    ]);
    expect(kept).toEqual([{ A: 3 }]);
    expect(suppressed.get('e1')).toEqual([{ A: 1 }]);
  });
});

describe('the linter', () => {
  it("flags seed 000's always-true filter, contradictions, negative matches and expired entries", async () => {
    const { count, issues } = await lintExclusionFiles([FIXTURE], NOW);
    expect(count).toBe(5);
    const by = (id: string) =>
      issues.filter((i) => i.id === id).map((i) => `${i.level}: ${i.message.split(':')[0]}`);
    expect(by('seed000-as-written')).toEqual(['error: always true']);
    expect(by('contradiction')).toEqual(['error: always false']);
    expect(by('expired-window')).toEqual(['error: expired on 2025-04-01T04']);
    expect(by('negative')).toEqual(['warning: negative match']);
    expect(by('good')).toEqual([]);
  });

  it('passes the shipped templates except the deliberately expired one-off window', async () => {
    const { issues } = await lintExclusionFiles([bundledExclusionsDir], NOW);
    expect(issues.map((i) => [i.id, i.level])).toEqual([['seed002-nc-backup-migration-once', 'error']]);
  });

  it('telltale exclusions lint exits 1 on errors and prints each issue', () => {
    const run = telltale('exclusions', 'lint', FIXTURE, '--now', '2026-05-22T00:00:00Z');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/seed000-as-written: error: always true/);
    expect(run.stderr).toMatch(/5 exclusions: 3 errors, 1 warnings/);
  });
});

describe('exclusions in a hunt run', () => {
  let result: HuntResult;
  beforeAll(async () => {
    process.chdir(repoRoot);
    const dir = mkdtempSync(join(tmpdir(), 'tt-excl-'));
    const file = join(dir, 'site.yaml');
    writeFileSync(
      file,
      `exclusions:
  - id: lab-gateway-scans
    reason: the lab gateway's scheduled TR-069 sweep
    hunts: [mirai-worm-propagation]
    when:
      - { column: SrcIpAddr, cidr: [10.20.0.0/24] }
  - id: everything
    reason: seed 000's broken NMS filter, enabled by mistake
    predicate: DeviceAction != "accept" or DeviceAction != "deny"
`,
    );
    result = await hunt(['examples/incident'], { now: NOW, exclusions: [file] });
  });

  it('suppresses, counts and lists the findings an exclusion matches', () => {
    expect(result.huntFindings.some((f) => f.huntId === 'mirai-worm-propagation')).toBe(false);
    expect(result.suppressed.map((f) => [f.huntId, f.suppressedBy])).toEqual([
      ['mirai-worm-propagation', 'lab-gateway-scans'],
    ]);
    const use = result.exclusions.find((u) => u.exclusion.id === 'lab-gateway-scans');
    expect(use).toMatchObject({ findings: 1, rows: 2 });
  });

  it('refuses to apply an always-true exclusion and says so', () => {
    expect(result.exclusionIssues.map((i) => [i.id, i.level])).toContainEqual(['everything', 'error']);
    expect(result.exclusions.find((u) => u.exclusion.id === 'everything')?.findings).toBe(0);
    expect(result.huntFindings.some((f) => f.huntId === 'threatfox-mirai-c2-commonsecuritylog')).toBe(true);
  });
});
