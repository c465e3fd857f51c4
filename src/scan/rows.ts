/**
 * Scan results as rows of the `TelltaleFileScan` table (schemas/TelltaleFileScan.json): one row per
 * rule match, one per clean object, one per skipped object, so KQL hunts can join file hits with a
 * device's network behaviour (`DeviceName`) and hashes with ThreatIntelligenceIndicator.
 */
import type { Row } from '../store/coerce.js';
import type { FileResult, ScanReport } from './types.js';

export const FILE_SCAN_TABLE = 'TelltaleFileScan';

/** `a/b/fw.tar.gz!bin/busybox` → folder `a/b/fw.tar.gz!bin`, name `busybox`. */
function split(path: string): { FolderPath: string; FileName: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('!'));
  return { FolderPath: cut > 0 ? path.slice(0, cut) : '', FileName: path.slice(cut + 1) };
}

function objectColumns(f: FileResult, base: Row): Row {
  return {
    ...base,
    ObjectName: f.path,
    ObjectKind: f.kind,
    ...split(f.path),
    FileSize: f.size,
    MD5: f.md5,
    SHA1: f.sha1,
    SHA256: f.sha256,
    ProcessId: f.memory?.pid,
    ProcessName: f.memory?.process,
    MemoryRegion: f.memory?.region,
    _Source: f.path,
  };
}

export function scanResultRows(
  report: ScanReport,
  device: string,
  time: Date = new Date(),
): { table: string; rows: Row[] } {
  const base: Row = { TimeGenerated: time.toISOString(), DeviceName: device };
  const rows: Row[] = [];
  for (const f of report.files) {
    const object = objectColumns(f, base);
    if (f.matches.length === 0) rows.push({ ...object, ActionType: 'Scanned' });
    for (const m of f.matches)
      rows.push({
        ...object,
        ActionType: 'YaraMatch',
        RuleName: m.rule,
        RuleNamespace: m.namespace,
        RuleTags: m.tags,
        RuleMeta: m.meta,
        MatchedStrings: m.strings.map(({ identifier, offset, length, data }) => ({
          identifier,
          offset,
          length,
          data,
        })),
      });
  }
  for (const s of report.skipped)
    rows.push({
      ...base,
      ActionType: 'Skipped',
      ObjectName: s.path,
      ...split(s.path),
      Reason: s.reason,
      _Source: s.path,
    });
  return { table: FILE_SCAN_TABLE, rows };
}
