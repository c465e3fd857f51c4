/**
 * NetFlow / IPFIX flows exported by nfdump as CSV (`nfdump -r FILE -o csv`): a header
 * `ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,…`, one flow per line, and a trailer
 * (`Summary`, then totals) that is ignored. Each flow → DeviceNetworkEvents and CommonSecurityLog, like
 * Zeek conn; see docs/telemetry.md "NetFlow (nfdump CSV)". The mapping is a LoadPlan: DuckDB runs it
 * on the file and plan-reader.ts on the lines it hands back (the trailer, odd values).
 */
import type { Expr, LoadPlan, SourceField } from '../store/plan.js';
import { flowTargets } from './flow-plan.js';
import { planParser } from './plan-reader.js';
import { IGNORED, type RecordParser } from './types.js';

const TYPES: Record<string, SourceField['as']> = {
  ts: 'datetime',
  te: 'datetime',
  td: 'real',
  sp: 'int',
  dp: 'int',
  ipkt: 'long',
  ibyt: 'long',
  opkt: 'long',
  obyt: 'long',
  in: 'long',
  out: 'long',
  sas: 'long',
  das: 'long',
  exid: 'long',
};

const MAPPED = new Set(['ts', 'te', 'sa', 'da', 'sp', 'dp', 'pr', 'ibyt', 'obyt']);

/** TCP flags as nfdump prints them (`...AP.SF`, `....S.`): a SYN without ACK never got an answer. */
const ACTION_TYPE = { '....S.': 'ConnectionAttempt', '...RS.': 'ConnectionAttempt' };

export function nfdumpPlan(header: string, options: { sensor?: string } = {}): LoadPlan | undefined {
  const names = header.split(',').map((n) => n.trim());
  const has = new Set(names);
  if (!['ts', 'sa', 'da', 'sp', 'dp', 'pr'].every((n) => has.has(n))) return undefined;
  const fields: SourceField[] = names.map((name, i) => ({ name, at: i, as: TYPES[name] ?? 'string' }));
  const f = (name: string): Expr => (has.has(name) ? { field: name } : { const: '' });
  const sensor: Expr = { const: options.sensor ?? '' };
  const extras = names.filter((n) => !MAPPED.has(n));
  const opt = (name: string): Expr | undefined => (has.has(name) ? { field: name } : undefined);
  const { dne, csl } = flowTargets({
    time: f('ts'),
    end: opt('te'),
    sensor,
    actionType: has.has('flg') ? { lookup: 'flg', values: ACTION_TYPE } : undefined,
    localIp: 'sa',
    localPort: 'sp',
    remoteIp: 'da',
    remotePort: 'dp',
    proto: 'pr',
    vendor: 'nfdump',
    product: 'NetFlow',
    eventClass: { const: 'flow' },
    sent: opt('ibyt'),
    received: opt('obyt'),
    extras,
  });
  return {
    layout: { kind: 'delimited', separator: ',', columns: names.length },
    fields,
    commentPrefix: 'ts,',
    targets: [dne, csl],
  };
}

/** The JavaScript reader: the header line builds the plan; from `Summary` on, lines are ignored. */
export function nfdumpParser(
  options: { sensor?: string } = {},
  onIgnored?: (reason: string) => void,
): RecordParser {
  let inner: RecordParser | undefined;
  let trailer = false;
  const onLine = (text: string): typeof IGNORED | undefined => {
    if (trailer || text.trim() === 'Summary') {
      trailer = true;
      onIgnored?.('nfdump summary trailer');
      return IGNORED;
    }
    return undefined;
  };
  return (text, line) => {
    if (!inner) {
      if (text.trim() === '') return IGNORED;
      const plan = nfdumpPlan(text, options);
      if (!plan) return 'nfdump CSV header without ts, sa, da, sp, dp, pr';
      inner = planParser(plan, onIgnored, onLine);
      return IGNORED;
    }
    return inner(text, line);
  };
}
