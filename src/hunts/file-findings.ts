/** Turns scan results into findings: one per YARA rule hit, one per file whose hash is an indicator. */
import type { Indicator } from '../intel/model.js';
import type { FileResult, HashName } from '../scan/index.js';
import type { Finding } from './findings.js';
import type { Severity } from './model.js';

const HASH_TYPES = ['sha256', 'sha1', 'md5'] as const;

function ruleSeverity(meta: Record<string, unknown>): Severity {
  const declared = String(meta.severity ?? '').toLowerCase();
  return (
    (['critical', 'high', 'medium', 'low', 'informational'] as const).find((s) => s === declared) ?? 'high'
  );
}

export function yaraFindings(files: FileResult[]): Finding[] {
  return files.flatMap((file) => {
    const sha256 = file.sha256 ?? ''; // every object that matched is hashed (scan/engine.ts)
    return file.matches.map((match) => ({
      huntId: `yara/${match.namespace}/${match.rule}`,
      title: `YARA ${match.rule}${match.meta.description ? `: ${match.meta.description}` : ''}`,
      severity: ruleSeverity(match.meta),
      time: null,
      entities: [
        { type: 'File', identifier: 'Path', value: file.path },
        { type: 'FileHash', identifier: 'SHA256', value: sha256 },
      ],
      evidence: match.strings.map((s) => ({
        rule: match.rule,
        string: s.identifier,
        offset: s.offset,
        length: s.length,
        data: s.data,
        sha256,
        _Source: `${file.path}@0x${s.offset.toString(16)}`,
      })),
      description: `tags: ${match.tags.join(', ') || '-'}`,
    }));
  });
}

/** The digests a scan must compute for every object to match these indicators (none without hash indicators). */
export function hashTypes(indicators: Indicator[]): HashName[] {
  const types = new Set<HashName>();
  for (const i of indicators)
    if ((HASH_TYPES as readonly string[]).includes(i.type)) types.add(i.type as HashName);
  return [...types];
}

export function hashIndicatorIndex(indicators: Indicator[]): Map<string, Indicator> {
  const index = new Map<string, Indicator>();
  for (const indicator of indicators)
    if ((HASH_TYPES as readonly string[]).includes(indicator.type))
      index.set(indicator.value.toLowerCase(), indicator);
  return index;
}

export function hashFindings(files: FileResult[], index: Map<string, Indicator>): Finding[] {
  const findings: Finding[] = [];
  for (const file of files)
    for (const type of HASH_TYPES) {
      const digest = file[type];
      const indicator = digest === undefined ? undefined : index.get(digest);
      if (!indicator || digest === undefined) continue;
      findings.push({
        huntId: 'file-hash-indicator',
        title: `File hash is a known ${indicator.malware ?? 'malicious'} indicator`,
        severity: 'critical',
        time: null,
        entities: [
          { type: 'File', identifier: 'Path', value: file.path },
          { type: 'FileHash', identifier: type.toUpperCase(), value: digest },
        ],
        evidence: [
          {
            path: file.path,
            size: file.size,
            [type]: digest,
            indicatorSource: indicator.source,
            reference: indicator.reference ?? null,
            _Source: file.path,
          },
        ],
      });
    }
  return findings;
}
