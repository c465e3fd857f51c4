/**
 * Blocklists for network control points. Each format gets what it can enforce:
 * - Zeek Intel framework: ADDR / DOMAIN / URL (scheme dropped, as Zeek sees it) / FILE_HASH; ip:port
 *   becomes its ADDR (the framework has no port type; the port is kept in meta.desc).
 * - Suricata: an iprep category + reputation list for bare IPs, one exact rule per ip:port (port-aware),
 *   datasets for domains (dns.query, tls.sni) and URLs (http host + uri), file-hash lists for
 *   filemd5/filesha1/filesha256, and the rules using them.
 * - nftables: named sets (ipv4, ipv6, ipv4·port, ipv6·port) and drop rules, for `nft -f`.
 * - ipset + iptables: `ipset restore` sets (hash:ip, hash:ip,port) and `iptables-restore` rules.
 */
import type { Indicator } from '../model.js';
import { display, lines, oneLine, type ExportFile, type Exporter } from './types.js';
import { append } from '../../util/append.js';

const v6 = (i: Indicator) => i.value.includes(':');
const ips = (list: readonly Indicator[], six: boolean) =>
  list.filter((i) => (i.type === 'ipv4' || i.type === 'ipv6') && v6(i) === six);
const ipPorts = (list: readonly Indicator[], six: boolean) =>
  list.filter((i) => i.type === 'ip:port' && v6(i) === six);
const describe = (i: Indicator) =>
  oneLine(
    [i.malware, i.threatType, i.type === 'ip:port' ? `port ${i.port}` : ''].filter(Boolean).join(' ') ||
      'indicator',
  );

const ZEEK_TYPES = {
  ipv4: 'Intel::ADDR',
  ipv6: 'Intel::ADDR',
  'ip:port': 'Intel::ADDR',
  domain: 'Intel::DOMAIN',
  url: 'Intel::URL',
  md5: 'Intel::FILE_HASH',
  sha1: 'Intel::FILE_HASH',
  sha256: 'Intel::FILE_HASH',
} as const;

export const zeek: Exporter = (indicators) => {
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const i of indicators) {
    const value = i.type === 'url' ? i.value.replace(/^[a-z]+:\/\//i, '') : i.value;
    if (seen.has(`${i.type === 'ip:port' ? 'ipv' : i.type}|${value}`)) continue; // one ADDR per address
    seen.add(`${i.type === 'ip:port' ? 'ipv' : i.type}|${value}`);
    const field = (s: string | undefined) => (s ? s.replace(/[\t\n\r]/g, ' ') : '-');
    rows.push(
      [value, ZEEK_TYPES[i.type], field(i.source), field(describe(i)), field(i.reference)].join('\t'),
    );
  }
  return [
    {
      name: 'telltale.intel',
      content: lines(['#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url', ...rows]),
    },
  ];
};

export const suricata: Exporter = (indicators, options) => {
  const title = oneLine(options.title ?? 'Telltale');
  const files: ExportFile[] = [];
  const rules: string[] = [];
  let sid = 9_700_000;
  const bare = [...ips(indicators, false), ...ips(indicators, true)];
  if (bare.length) {
    files.push({ name: 'telltale-categories.txt', content: '1,Telltale,Telltale indicators\n' });
    files.push({
      name: 'telltale-iprep.list',
      content: lines(bare.map((i) => `${i.value},1,${Math.max(1, Math.round(i.confidence ?? 100))}`)),
    });
    rules.push(
      `alert ip $HOME_NET any -> any any (msg:"${title} IOC: destination on the Telltale IP list"; iprep:dst,Telltale,>,0; sid:${sid++}; rev:1;)`,
    );
    rules.push(
      `alert ip any any -> $HOME_NET any (msg:"${title} IOC: source on the Telltale IP list"; iprep:src,Telltale,>,0; sid:${sid++}; rev:1;)`,
    );
  }
  for (const i of indicators.filter((x) => x.type === 'ip:port')) {
    const ip = v6(i) ? `[${i.value}]` : i.value;
    rules.push(
      `alert ip $HOME_NET any -> ${ip} ${i.port} (msg:"${title} IOC: ${oneLine(display(i))} ${describe(i)}"; sid:${sid++}; rev:1;)`,
    );
  }
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const domains = indicators.filter((i) => i.type === 'domain');
  if (domains.length) {
    files.push({ name: 'telltale-domains.lst', content: lines(domains.map((i) => b64(i.value))) });
    const ds = 'dataset:isset,telltale-domains,type string,load telltale-domains.lst';
    rules.push(
      `alert dns $HOME_NET any -> any any (msg:"${title} IOC: DNS query for a Telltale domain"; dns.query; ${ds}; sid:${sid++}; rev:1;)`,
    );
    rules.push(
      `alert tls $HOME_NET any -> any any (msg:"${title} IOC: TLS SNI of a Telltale domain"; tls.sni; ${ds}; sid:${sid++}; rev:1;)`,
    );
  }
  const urls = indicators.filter((i) => i.type === 'url' && /^https?:/.test(i.value));
  if (urls.length) {
    // http.uri holds the path; the host is matched apart. Exact full URLs match on the `http.host + uri` pair.
    files.push({
      name: 'telltale-urls.lst',
      content: lines(urls.map((i) => b64(i.value.replace(/^https?:\/\/[^/]*/, '') || '/'))),
    });
    rules.push(
      `alert http $HOME_NET any -> any any (msg:"${title} IOC: HTTP request for a Telltale URL path"; http.uri; dataset:isset,telltale-urls,type string,load telltale-urls.lst; sid:${sid++}; rev:1;)`,
    );
  }
  for (const type of ['md5', 'sha1', 'sha256'] as const) {
    const hashes = indicators.filter((i) => i.type === type);
    if (!hashes.length) continue;
    files.push({ name: `telltale-${type}.txt`, content: lines(hashes.map((i) => i.value)) });
    rules.push(
      `alert http any any -> $HOME_NET any (msg:"${title} IOC: file ${type} on the Telltale list"; file${type}:telltale-${type}.txt; sid:${sid++}; rev:1;)`,
    );
  }
  return [{ name: 'telltale.rules', content: lines(rules) }, ...files];
};

export const nftables: Exporter = (indicators) => {
  const set = (name: string, type: string, elements: string[], interval = false) =>
    elements.length
      ? [
          `  set ${name} {`,
          `    type ${type}`,
          ...(interval ? ['    flags interval'] : []),
          `    elements = { ${elements.join(', ')} }`,
          '  }',
        ]
      : [];
  const v4 = ips(indicators, false).map((i) => i.value);
  const v6s = ips(indicators, true).map((i) => i.value);
  const v4p = ipPorts(indicators, false).map((i) => `${i.value} . ${i.port}`);
  const v6p = ipPorts(indicators, true).map((i) => `${i.value} . ${i.port}`);
  const rules = [
    ...(v4.length ? ['    ip daddr @ipv4 counter drop', '    ip saddr @ipv4 counter drop'] : []),
    ...(v6s.length ? ['    ip6 daddr @ipv6 counter drop', '    ip6 saddr @ipv6 counter drop'] : []),
    ...(v4p.length ? ['    ip daddr . th dport @ipv4_port counter drop'] : []),
    ...(v6p.length ? ['    ip6 daddr . th dport @ipv6_port counter drop'] : []),
  ];
  const body = [
    '# Telltale indicators: nft -f telltale.nft',
    'table inet telltale',
    'delete table inet telltale',
    'table inet telltale {',
    ...set('ipv4', 'ipv4_addr', v4, true),
    ...set('ipv6', 'ipv6_addr', v6s, true),
    ...set('ipv4_port', 'ipv4_addr . inet_service', v4p),
    ...set('ipv6_port', 'ipv6_addr . inet_service', v6p),
    '  chain forward {',
    '    type filter hook forward priority 0; policy accept;',
    ...rules,
    '  }',
    '  chain output {',
    '    type filter hook output priority 0; policy accept;',
    ...rules,
    '  }',
    '}',
  ];
  return [{ name: 'telltale.nft', content: lines(body) }];
};

export const ipset: Exporter = (indicators) => {
  const sets: string[] = [];
  const rules4: string[] = [];
  const rules6: string[] = [];
  const add = (
    name: string,
    type: string,
    family: string,
    entries: string[],
    rules: string[],
    match: string,
  ) => {
    if (!entries.length) return;
    sets.push(
      `create ${name} ${type} family ${family} maxelem ${Math.max(65536, entries.length * 2)} -exist`,
      `flush ${name}`,
    );
    append(
      sets,
      entries.map((e) => `add ${name} ${e} -exist`),
    );
    rules.push(
      `-A FORWARD -m set --match-set ${name} ${match} -j DROP`,
      `-A OUTPUT -m set --match-set ${name} ${match} -j DROP`,
    );
  };
  add(
    'telltale-ipv4',
    'hash:ip',
    'inet',
    ips(indicators, false).map((i) => i.value),
    rules4,
    'dst',
  );
  add(
    'telltale-ipv6',
    'hash:ip',
    'inet6',
    ips(indicators, true).map((i) => i.value),
    rules6,
    'dst',
  );
  // hash:ip,port needs a protocol: botnet C2 ports are TCP; a UDP copy covers the rest.
  const ports = (six: boolean) =>
    ipPorts(indicators, six).flatMap((i) => [`${i.value},tcp:${i.port}`, `${i.value},udp:${i.port}`]);
  add('telltale-ipv4-port', 'hash:ip,port', 'inet', ports(false), rules4, 'dst,dst');
  add('telltale-ipv6-port', 'hash:ip,port', 'inet6', ports(true), rules6, 'dst,dst');
  const restore = (rules: string[]) => lines(['*filter', ...rules, 'COMMIT']);
  return [
    { name: 'telltale.ipset', content: lines(sets) },
    ...(rules4.length ? [{ name: 'telltale.iptables', content: restore(rules4) }] : []),
    ...(rules6.length ? [{ name: 'telltale.ip6tables', content: restore(rules6) }] : []),
  ];
};
