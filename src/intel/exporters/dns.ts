/**
 * Domain blocklists for resolvers and hosts: an RPZ zone (each domain and its subdomains answer
 * NXDOMAIN via `CNAME .`) and a hosts file (0.0.0.0 sinks the exact names; hosts files have no wildcards).
 * URL hosts are not included: blocking a whole host for one bad path would break shared hosting.
 */
import { lines, type Exporter } from './types.js';

export const rpz: Exporter = (indicators, options) => {
  const now = options.now ?? new Date();
  const serial = Math.floor(now.getTime() / 1000);
  const domains = [...new Set(indicators.filter((i) => i.type === 'domain').map((i) => i.value))];
  return [
    {
      name: 'telltale.rpz.zone',
      content: lines([
        '$TTL 300',
        `@ IN SOA localhost. hostmaster.localhost. ${serial} 3600 600 86400 300`,
        '@ IN NS localhost.',
        ...domains.flatMap((d) => [`${d} CNAME .`, `*.${d} CNAME .`]),
      ]),
    },
  ];
};

export const hosts: Exporter = (indicators) => {
  const domains = [...new Set(indicators.filter((i) => i.type === 'domain').map((i) => i.value))];
  return [
    {
      name: 'telltale.hosts',
      content: lines([
        '# Telltale indicators (domains sunk to 0.0.0.0)',
        ...domains.map((d) => `0.0.0.0 ${d}`),
      ]),
    },
  ];
};
