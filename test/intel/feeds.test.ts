// The feed client against a local HTTP server on 127.0.0.1 started here: recorded-shape answers,
// errors, truncated bodies. Nothing in these tests leaves the machine.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, threatfoxFeed, updateFeed } from '../../src/intel/feeds.js';
import { IntelStore } from '../../src/intel/store.js';

const CSV = 'value,type,confidence\n176.65.139.7:3778,ip:port,80\ntvt.miraibotnet.su,domain,100\n';
const THREATFOX = JSON.stringify({
  query_status: 'ok',
  data: [
    {
      id: '1',
      ioc: '176.65.139.7:3778',
      ioc_type: 'ip:port',
      threat_type: 'botnet_cc',
      malware: 'elf.mirai',
      malware_printable: 'Mirai',
      confidence_level: 80,
      first_seen: '2026-05-20 00:00:00 UTC',
    },
  ],
});

let server: Server;
let base: string;
const hits = new Map<string, number>();
const requests: Array<{ url: string; headers: IncomingMessage['headers']; body: string }> = [];

function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = req.url ?? '/';
  hits.set(url, (hits.get(url) ?? 0) + 1);
  requests.push({ url, headers: req.headers, body });
  switch (url) {
    case '/feed.csv':
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      return void res.writeHead(200, { etag: '"v1"', 'content-type': 'text/csv' }).end(CSV);
    case '/flaky.csv': // 503 first, then fine: retried
      if (hits.get(url) === 1) return void res.writeHead(503).end('busy');
      return void res.writeHead(200).end(CSV);
    case '/missing':
      return void res.writeHead(404).end('no');
    case '/truncated.csv': {
      // Announces more than it sends, then drops the connection mid-row.
      res.writeHead(200, { 'content-length': String(CSV.length + 100) });
      res.write(CSV.slice(0, 40));
      return void setTimeout(() => res.socket?.destroy(), 20);
    }
    case '/truncated-chunked.json': {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(THREATFOX.slice(0, 60));
      return void setTimeout(() => res.socket?.destroy(), 20);
    }
    case '/big':
      return void res.writeHead(200).end('x'.repeat(5000));
    case '/slow':
      return void setTimeout(() => res.writeHead(200).end(CSV), 2000);
    case '/api/v1/':
      if (req.headers['auth-key'] !== 'k3y')
        return void res.writeHead(200).end(JSON.stringify({ query_status: 'unknown_auth_key' }));
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(THREATFOX);
    default:
      res.writeHead(500).end();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fast = { retries: 1, backoffMs: 10, timeoutMs: 500 };

describe('fetchFeed', () => {
  it('retries 5xx, fails fast on 4xx, caps sizes and times out', async () => {
    expect(await fetchFeed(`${base}/flaky.csv`, fast)).toMatchObject({ status: 'ok', body: CSV });
    expect(hits.get('/flaky.csv')).toBe(2);
    await expect(fetchFeed(`${base}/missing`, fast)).rejects.toThrow(/HTTP 404/);
    expect(hits.get('/missing')).toBe(1);
    await expect(fetchFeed(`${base}/big`, { ...fast, maxBytes: 1000 })).rejects.toThrow(/cap/);
    await expect(fetchFeed(`${base}/slow`, { ...fast, retries: 0 })).rejects.toThrow(/timed out/);
    await expect(fetchFeed(`${base}/truncated.csv`, fast)).rejects.toThrow(/cut off|truncated|terminated/);
    await expect(fetchFeed('file:///etc/passwd')).rejects.toThrow(/not an http/);
  });
});

describe('updateFeed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'telltale-feeds-'));
  let store: IntelStore;
  beforeAll(async () => {
    store = await IntelStore.open(join(dir, 'feeds.duckdb'));
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a URL feed, then asks conditionally and gets 304', async () => {
    const feed = { name: 'local', url: `${base}/feed.csv` };
    expect(await updateFeed(store, feed, fast)).toMatchObject({ status: 'updated', indicators: 2, added: 2 });
    expect(await updateFeed(store, feed, fast)).toMatchObject({ status: 'not-modified' });
    expect(requests.filter((r) => r.url === '/feed.csv').at(-1)!.headers['if-none-match']).toBe('"v1"');
    expect(await store.count()).toBe(2);
  });

  it('imports nothing from truncated bodies or errors', async () => {
    const before = await store.count();
    for (const path of ['/truncated.csv', '/truncated-chunked.json', '/missing']) {
      const r = await updateFeed(store, { name: path, url: `${base}${path}` }, fast);
      expect(r.status, path).toBe('failed');
      expect(r.error, path).toBeTruthy();
    }
    expect(await store.count()).toBe(before);
    expect((await store.feeds()).find((f) => f.name === '/missing')?.last_status).toMatch(/^failed: .*404/);
  });

  it('queries the ThreatFox API with the key from the environment', async () => {
    const env = { TELLTALE_THREATFOX_URL: `${base}/api/v1/`, THREATFOX_AUTH_KEY: 'k3y' };
    const r = await updateFeed(store, threatfoxFeed(3, env), fast);
    expect(r).toMatchObject({ status: 'updated', indicators: 1 });
    const sent = requests.filter((x) => x.url === '/api/v1/').at(-1)!;
    expect(JSON.parse(sent.body)).toEqual({ query: 'get_iocs', days: 3 });
    const [c2] = await store.list({ values: ['176.65.139.7:3778'] });
    expect(c2).toMatchObject({
      threatType: 'botnet_cc',
      malware: 'Mirai',
      sources: expect.arrayContaining(['ThreatFox', 'feed.csv'].slice(0, 1)),
    });
    const bad = await updateFeed(store, threatfoxFeed(1, { ...env, THREATFOX_AUTH_KEY: 'wrong' }), fast);
    expect(bad).toMatchObject({
      status: 'failed',
      error: 'ThreatFox answered query_status "unknown_auth_key"',
    });
    expect(
      (
        await updateFeed(
          store,
          threatfoxFeed(1, { TELLTALE_THREATFOX_URL: env.TELLTALE_THREATFOX_URL }),
          fast,
        )
      ).error,
    ).toMatch(/THREATFOX_AUTH_KEY/);
    expect(() => threatfoxFeed(8, env)).toThrow(/1-7/);
  });
});
