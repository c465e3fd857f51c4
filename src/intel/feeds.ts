/**
 * Feeds over the network. One small HTTP client on Node's own fetch (no dependency needed): a timeout
 * that covers the whole body, retries with backoff on network errors, 429 and 5xx, a size cap checked
 * against Content-Length and while streaming, conditional requests (ETag / Last-Modified → 304), and a
 * truncation check. A feed is imported only once its whole body has arrived and parsed; the store
 * upsert is one transaction — so a failed update leaves the store exactly as it was.
 */
import { IntelStore } from './store.js';
import { importIntelText, type IntelFormat } from './import.js';
import { flagWarninglisted, loadWarninglists } from './warninglists.js';
import type { TtlDays } from './lifecycle.js';

export interface FetchOptions {
  timeoutMs?: number;
  retries?: number;
  maxBytes?: number;
  /** First retry delay; doubles each time. */
  backoffMs?: number;
  etag?: string;
  lastModified?: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

export type FetchResult =
  | { status: 'not-modified' }
  | { status: 'ok'; body: string; etag?: string; lastModified?: string; bytes: number };

export class FeedError extends Error {}

const DEFAULTS = { timeoutMs: 60_000, retries: 2, maxBytes: 512 * 1024 * 1024, backoffMs: 1000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Retryable extends FeedError {}

async function attempt(url: string, o: FetchOptions & typeof DEFAULTS): Promise<FetchResult> {
  const headers: Record<string, string> = { 'user-agent': 'telltale-intel', ...o.headers };
  if (o.etag) headers['if-none-match'] = o.etag;
  if (o.lastModified) headers['if-modified-since'] = o.lastModified;
  let response: Response;
  const signal = AbortSignal.timeout(o.timeoutMs);
  try {
    response = await fetch(url, {
      method: o.method ?? 'GET',
      body: o.body,
      headers,
      signal,
      redirect: 'follow',
    });
  } catch (err) {
    throw new Retryable(`${url}: ${describe(err)}`);
  }
  if (response.status === 304) return { status: 'not-modified' };
  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel().catch(() => undefined);
    throw new Retryable(`${url}: HTTP ${response.status}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new FeedError(`${url}: HTTP ${response.status} ${response.statusText}`.trim());
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > o.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new FeedError(`${url}: ${declared} bytes is over the ${o.maxBytes}-byte cap`);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for await (const chunk of response.body ?? []) {
      bytes += chunk.byteLength;
      if (bytes > o.maxBytes) throw new FeedError(`${url}: body over the ${o.maxBytes}-byte cap`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof FeedError) throw err;
    throw new Retryable(`${url}: body cut off after ${bytes} bytes (${describe(err)})`);
  }
  // Content-Length is of the encoded body; only compare when the body was not transfer-decoded.
  if (Number.isFinite(declared) && !response.headers.get('content-encoding') && bytes !== declared)
    throw new Retryable(`${url}: truncated body, ${bytes} of ${declared} bytes`);
  return {
    status: 'ok',
    body: Buffer.concat(chunks).toString('utf8'),
    etag: response.headers.get('etag') ?? undefined,
    lastModified: response.headers.get('last-modified') ?? undefined,
    bytes,
  };
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: Error };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message;
}

/** GET/POST with timeout, retries, size cap and conditional headers. Throws FeedError when all tries fail. */
export async function fetchFeed(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  if (!/^https?:\/\//i.test(url)) throw new FeedError(`not an http(s) URL: ${url}`);
  const o = { ...DEFAULTS, ...options };
  for (let k = 0; ; k++) {
    try {
      return await attempt(url, o);
    } catch (err) {
      if (!(err instanceof Retryable) || k >= o.retries) throw new FeedError((err as Error).message);
      await sleep(o.backoffMs * 2 ** k);
    }
  }
}

export interface FeedSpec {
  /** Stored name (`threatfox`, or the URL's host+path for URL feeds unless named). */
  name: string;
  url: string;
  format?: IntelFormat | 'auto';
  /** ThreatFox API: POST get_iocs with the key from THREATFOX_AUTH_KEY. */
  threatfox?: { days: number; authKey?: string };
}

export interface UpdateOptions extends Omit<FetchOptions, 'etag' | 'lastModified' | 'method' | 'body'> {
  now?: Date;
  ttl?: Readonly<TtlDays>;
  allowlists?: string[];
}

export interface UpdateResult {
  feed: string;
  status: 'updated' | 'not-modified' | 'failed';
  indicators: number;
  added: number;
  updated: number;
  rejects: number;
  bytes: number;
  error?: string;
}

/** ThreatFox API base; `TELLTALE_THREATFOX_URL` points it elsewhere (tests, a proxy). */
export function threatfoxFeed(days: number, env: NodeJS.ProcessEnv = process.env): FeedSpec {
  if (!Number.isInteger(days) || days < 1 || days > 7)
    throw new FeedError('--days must be 1-7 (the ThreatFox API limit)');
  const base = env.TELLTALE_THREATFOX_URL ?? 'https://threatfox-api.abuse.ch/api/v1/';
  return {
    name: 'threatfox',
    url: base,
    format: 'threatfox-api',
    threatfox: { days, authKey: env.THREATFOX_AUTH_KEY },
  };
}

/** Fetches a feed and imports it whole, or not at all. */
export async function updateFeed(
  store: IntelStore,
  feed: FeedSpec,
  options: UpdateOptions = {},
): Promise<UpdateResult> {
  const now = options.now ?? new Date();
  const base: UpdateResult = {
    feed: feed.name,
    status: 'failed',
    indicators: 0,
    added: 0,
    updated: 0,
    rejects: 0,
    bytes: 0,
  };
  const fail = async (error: string): Promise<UpdateResult> => {
    await store.saveFeedState(feed.name, { url: feed.url, status: `failed: ${error}`, at: now });
    return { ...base, error };
  };
  try {
    let fetched: FetchResult;
    if (feed.threatfox) {
      if (!feed.threatfox.authKey)
        throw new FeedError('THREATFOX_AUTH_KEY is not set (ThreatFox API keys: https://auth.abuse.ch/)');
      fetched = await fetchFeed(feed.url, {
        ...options,
        method: 'POST',
        body: JSON.stringify({ query: 'get_iocs', days: feed.threatfox.days }),
        headers: {
          'content-type': 'application/json',
          'auth-key': feed.threatfox.authKey,
          ...options.headers,
        },
      });
    } else {
      const state = await store.feedState(feed.name);
      fetched = await fetchFeed(feed.url, {
        ...options,
        etag: state?.etag,
        lastModified: state?.lastModified,
      });
    }
    if (fetched.status === 'not-modified') {
      await store.saveFeedState(feed.name, { url: feed.url, status: 'not-modified', at: now });
      return { ...base, status: 'not-modified' };
    }
    const parsed = importIntelText(fetched.body, feed.name, feed.format ?? 'auto');
    if (parsed.indicators.length === 0 && parsed.rejects.length > 0)
      throw new FeedError(
        `nothing importable: ${parsed.rejects[0]!.reason}${parsed.rejects.length > 1 ? ` (+${parsed.rejects.length - 1} more)` : ''}`,
      );
    if (feed.threatfox) {
      const status = (JSON.parse(fetched.body) as { query_status?: string }).query_status;
      if (status !== 'ok' && status !== 'no_result')
        throw new FeedError(`ThreatFox answered query_status ${JSON.stringify(status)}`);
    }
    const indicators = flagWarninglisted(parsed.indicators, loadWarninglists(options.allowlists ?? []));
    const { added, updated } = await store.upsert(indicators, { now, ttl: options.ttl });
    await store.saveFeedState(feed.name, {
      url: feed.url,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      status: 'ok',
      count: indicators.length,
      at: now,
    });
    return {
      ...base,
      status: 'updated',
      indicators: indicators.length,
      added,
      updated,
      rejects: parsed.rejects.length,
      bytes: fetched.bytes,
    };
  } catch (err) {
    return fail((err as Error).message);
  }
}
