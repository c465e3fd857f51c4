/** A minimal Zeek conn.log (TSV) writer for the scenario generators. */

// the incident generator's seeded PRNG: every run writes identical files
export { prng } from '../generate.js';

export interface Conn {
  /** epoch seconds */
  ts: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  proto?: 'tcp' | 'udp';
  state?: string;
  origBytes?: number;
  respBytes?: number;
}

/** Zeek conn.log columns and their types, in the log's order. */
export const CONN_TYPES: Readonly<Record<string, string>> = {
  ts: 'time',
  uid: 'string',
  'id.orig_h': 'addr',
  'id.orig_p': 'port',
  'id.resp_h': 'addr',
  'id.resp_p': 'port',
  proto: 'enum',
  service: 'string',
  duration: 'interval',
  orig_bytes: 'count',
  resp_bytes: 'count',
  conn_state: 'string',
  missed_bytes: 'count',
  history: 'string',
  orig_pkts: 'count',
  orig_ip_bytes: 'count',
  resp_pkts: 'count',
  resp_ip_bytes: 'count',
};

/** A Zeek TSV log's header lines for these conn.log columns (`open`: the `#open` stamp, if any). */
export function connHeader(fields: readonly string[], open?: string): string[] {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    ...(open ? [`#open\t${open}`] : []),
    `#fields\t${fields.join('\t')}`,
    `#types\t${fields.map((f) => CONN_TYPES[f]).join('\t')}`,
  ];
}

const FIELDS = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'history',
];

export function connLog(conns: Conn[]): string {
  const header = connHeader(FIELDS);
  const lines = [...conns]
    .sort((a, b) => a.ts - b.ts)
    .map((c, i) => {
      const state = c.state ?? 'SF';
      const answered = state !== 'S0' && state !== 'REJ';
      return [
        c.ts.toFixed(6),
        `CS${i.toString(36).padStart(8, '0')}`,
        c.src,
        c.sport,
        c.dst,
        c.dport,
        c.proto ?? 'tcp',
        '-',
        answered ? '0.5' : '-',
        c.origBytes ?? (answered ? 300 : 0),
        c.respBytes ?? (answered ? 1200 : 0),
        state,
        answered ? 'ShADadFf' : 'S',
      ].join('\t');
    });
  return [...header, ...lines].join('\n') + '\n';
}

export const ip = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
export const ipNumber = (text: string) => text.split('.').reduce((a, o) => a * 256 + Number(o), 0);
