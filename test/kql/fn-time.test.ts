import { describe, expect, it } from 'vitest';
import { useEvaluator } from './fn-eval.js';

const { value, run } = useEvaluator();
const D = 'datetime(2026-05-21 13:04:05.123)'; // a Thursday

describe('time zones', () => {
  it.each([
    ["datetime_utc_to_local(datetime(2020-07-01 12:00), 'Europe/Paris')", '2020-07-01T14:00:00.000Z'],
    ["datetime_local_to_utc(datetime(2020-01-01 12:00), 'America/New_York')", '2020-01-01T17:00:00.000Z'],
    // 02:30 does not exist in Brussels on 2022-03-27 (the clock jumps from 02:00 to 03:00): the offset after
    ["datetime_local_to_utc(datetime(2022-03-27 02:30), 'Europe/Brussels')", '2022-03-27T00:30:00.000Z'],
    ["datetime_utc_to_local(datetime(2020-07-01 12:00), 'Not/AZone')", null],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });
});

describe('logic and conversion', () => {
  it.each([
    ['case(1 > 2, "a", 2 > 1, "b", "c")', 'b'],
    ['case(false, 1, 2)', 2],
    ['tobool("TRUE")', true],
    ['tobool("false")', false],
    ['tobool("yes")', null],
    ['tobool(0)', false],
    ['todatetime("2026-05-20T10:00:00+02:00")', '2026-05-20T08:00:00.000Z'],
    ['todatetime("2026-05-20 10:00")', '2026-05-20T10:00:00.000Z'],
    ['todatetime("garbage")', null],
    ['totimespan("1.02:03:04.5")', '1.02:03:04.5000000'],
    ['totimespan("-00:30:00")', '-00:30:00'],
    ['totimespan("nope")', null],
    ['tostring(totimespan("1.02:03:04"))', '1.02:03:04'],
    ['make_timespan(1, 12, 30, 55.123)', '1.12:30:55.1230000'],
    ['make_timespan(12, 30)', '12:30:00'],
    ["format_timespan(time(29.09:00:05.12345), 'dd.hh:mm:ss:FF')", '29.09:00:05:12'],
    ["format_timespan(time(29.09:00:05.12345), 'ddd.h:mm:ss [fffffff]')", '029.9:00:05 [1234500]'],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['7.0 / 2', 3.5],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });
});

describe('datetime functions', () => {
  it.each([
    [`startofweek(${D})`, '2026-05-17T00:00:00.000Z'],
    [`startofmonth(${D})`, '2026-05-01T00:00:00.000Z'],
    [`startofyear(${D}, 1)`, '2027-01-01T00:00:00.000Z'],
    [`startofday(${D}, -1)`, '2026-05-20T00:00:00.000Z'],
    [`tostring(endofday(${D}))`, '2026-05-21T23:59:59.9999999Z'],
    [`tostring(endofmonth(datetime(2026-02-10)))`, '2026-02-28T23:59:59.9999999Z'],
    [`datetime_add('month', 1, datetime(2026-01-31))`, '2026-02-28T00:00:00.000Z'],
    [`datetime_add('hour', -2, ${D})`, '2026-05-21T11:04:05.123Z'],
    [`datetime_add('week', 1, datetime(2026-05-21))`, '2026-05-28T00:00:00.000Z'],
    [`datetime_diff('day', datetime(2026-05-22 00:01), datetime(2026-05-21 23:59))`, 1],
    [`datetime_diff('hour', datetime(2026-05-21 10:59), datetime(2026-05-21 10:01))`, 0],
    [`datetime_diff('month', datetime(2026-01-01), datetime(2025-12-31))`, 1],
    [`datetime_diff('year', datetime(2025-12-31), datetime(2026-01-01))`, -1],
    [`datetime_diff('week', datetime(2026-05-24), datetime(2026-05-23))`, 1],
    [`datetime_diff('second', datetime(2026-05-21 00:00:10), datetime(2026-05-21 00:00:00))`, 10],
    [`datetime_part('hour', ${D})`, 13],
    [`hourofday(${D})`, 13],
    [`dayofweek(${D})`, '4.00:00:00'],
    [`tostring(dayofweek(datetime(2026-05-17)))`, '00:00:00'],
    [`dayofmonth(${D})`, 21],
    [`monthofyear(${D})`, 5],
    [`format_datetime(${D}, "yyyy-MM-dd HH:mm:ss.fff")`, '2026-05-21 13:04:05.123'],
    [`format_datetime(${D}, "M/d/yy h:mm tt")`, '5/21/26 1:04 PM'],
    [`format_datetime(datetime(2026-05-21 10:00:00.5), "ss.FFFF")`, '00.5'],
    [`unixtime_seconds_todatetime(1779000000)`, '2026-05-17T06:40:00.000Z'],
    [`${D} + 1d`, '2026-05-22T13:04:05.123Z'],
    [`${D} - datetime(2026-05-21)`, '13:04:05.1230000'],
  ])('%s', async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });

  it('ingestion_time() reads TimeGenerated, with a warning', async () => {
    const r = await run('CommonSecurityLog | extend t = ingestion_time() | take 1');
    expect(r.warnings.join()).toMatch(/ingestion_time/);
  });
});
