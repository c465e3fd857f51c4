/**
 * Reads the syslog header that relays put in front of a message (CEF here): RFC 3164
 * (`<pri>MMM dd HH:mm:ss host tag[pid]:`), RFC 5424 (`<pri>1 TIMESTAMP HOST APP PROCID MSGID SD`) and the
 * rsyslog high-precision variant (`2022-07-25T04:56:13+02:00 host tag:`). Only what the tables need is
 * returned: the time and the sending host. Unparseable headers give nulls, never an error.
 */
import { monthIndex, parseIso, utcDate } from './time.js';

export interface SyslogHeader {
  time: Date | null;
  host: string | null;
}

const RFC3164 = /^([A-Za-z]{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: (\d{4})(?= |$))?/;

/** RFC 3164 has no year: it comes from `referenceYear`. Times without a zone are taken as UTC. */
export function parseSyslogHeader(prefix: string, referenceYear: number): SyslogHeader {
  let text = prefix.trim();
  if (text.charCodeAt(0) === 60 /* < */) {
    const close = text.indexOf('>');
    if (close > 0 && close <= 4) text = text.slice(close + 1);
  }
  if (text.startsWith('1 ')) {
    const [, ts, host] = text.split(' ', 3);
    return { time: ts && ts !== '-' ? parseIso(ts) : null, host: host && host !== '-' ? host : null };
  }
  const m = RFC3164.exec(text);
  if (m) {
    const mo = monthIndex(m[1]);
    const ms = m[6] ? Number(m[6].slice(0, 3).padEnd(3, '0')) : 0;
    const year = m[7] ? +m[7] : referenceYear;
    const time = mo === undefined ? null : utcDate(year, mo, +m[2], +m[3], +m[4], +m[5], ms);
    return { time, host: hostFromTokens(text.slice(m[0].length)) };
  }
  const first = text.indexOf(' ');
  const iso = parseIso(first === -1 ? text : text.slice(0, first));
  if (iso) return { time: iso, host: first === -1 ? null : hostFromTokens(text.slice(first)) };
  return { time: null, host: null };
}

/** `host tag[pid]:` → host; a lone token is the host unless it looks like a tag (`tag:`, `tag[1]`). */
function hostFromTokens(rest: string): string | null {
  const tokens = rest.split(' ').filter((t) => t.length > 0);
  if (tokens.length === 0) return null;
  if (tokens.length === 1 && (tokens[0].endsWith(':') || tokens[0].includes('['))) return null;
  return tokens[0];
}
