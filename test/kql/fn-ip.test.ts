import { describe, expect, it } from 'vitest';
import { useEvaluator } from './fn-eval.js';

const { value, run } = useEvaluator();

describe('IP functions', () => {
  it.each([
    ['ipv4_is_match("192.168.1.1", "192.168.1.255")', false],
    ['ipv4_is_match("192.168.1.1", "192.168.1.255", 24)', true],
    ['ipv4_is_match("192.168.1.1/24", "192.168.1.255")', true],
    ['ipv4_is_match("127.0.0.1", "127.0.0.1")', true],
    ['ipv4_is_match("256.0.0.1", "1.1.1.1")', null],
    ['ipv4_is_match("", "1.1.1.1")', null],
    ['ipv4_compare("10.0.0.1", "10.0.0.2")', -1],
    ['ipv4_compare("10.0.0.3", "10.0.0.2")', 1],
    ['ipv4_compare("10.0.0.3", "10.0.0.2", 30)', 0],
    ['parse_ipv4("127.0.0.1")', 2130706433],
    ['parse_ipv4("192.1.168.1/24")', 3221334016],
    ['parse_ipv4("1.2.3")', null],
    ['parse_ipv4_mask("192.1.168.2", 24)', 3221334016],
    ['ipv4_is_in_any_range("10.1.2.3", "192.168.0.0/16", "10.0.0.0/8")', true],
    ['ipv4_is_in_any_range("8.8.8.8", dynamic(["10.0.0.0/8"]))', false],
    ['ipv6_compare("::ffff:7f00:1", "127.0.0.1")', 0],
    ['ipv6_compare("fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995")', -1],
    ['ipv6_compare("fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995", 127)', 0],
    ['ipv6_compare("fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7995")', 0],
    ['ipv6_compare("::2", "::1")', 1],
    ['ipv6_compare("1::2::3", "::1")', null],
    ['ipv6_is_match("FE80::1", "fe80:0:0:0:0:0:0:1")', true],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('geo_info_from_ip_address gives an empty bag and one warning, never a location', async () => {
    const r = await run(
      'print g1 = geo_info_from_ip_address("8.8.8.8"), g2 = geo_info_from_ip_address("1.1.1.1") | extend c = tostring(g1.country)',
    );
    expect(r.rows[0]).toMatchObject({ g1: {}, g2: {}, c: '' });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/geo_info_from_ip_address/);
  });
});
