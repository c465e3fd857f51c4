/**
 * The CEF load by Telltale's own addon (src/store/cef-native/, built by node-gyp on install; an optional
 * dependency): the C tokenizer cuts each line as the SQL of cef-sql.ts would (same templates, same odd-
 * line tests, same typed shapes, so the same lines go to the JavaScript reader) and writes the data lines
 * straight into DuckDB's vector layouts, 2,048 rows a batch, with no SQL string function per value (the
 * SQL path cost ~0.1 CPU-s per column per 300k lines). A batch is cut on a libuv worker thread while the
 * one before goes into the table: a plain file by DuckDB's INSERT from a table function (cef-scan.ts; a
 * large file in two parts at once), a compressed one by DuckDB's appender on this thread. Where the addon
 * did not build or load, bulk.ts runs the SQL plan.
 *
 * The chunks' strings point into the read pieces and an arena for AdditionalExtensions until DuckDB has
 * copied them. The file is one transaction (two parts: two, the first committed first). Invalid UTF-8 or
 * a line over the cap throws, having written nothing: the caller then reads the file the slow way, as when
 * DuckDB refuses a file.
 */
import { readFileSync } from 'node:fs';
import {
  BIGINT,
  DOUBLE,
  DuckDBDataChunk,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import {
  BATCH,
  cefAddon,
  fillChunk,
  newBatch,
  PIECE_BYTES,
  startCut,
  takeCut,
  type Batch,
  type CefAddon,
  type CefLoad,
  type CefOptions,
} from './cef-batch.js';
import { scanFile } from './cef-scan.js';
import { fileChunks } from './chunks.js';
import { forgetRows, type NativeTable } from './native.js';
import {
  emptyLoadResult,
  type LineLayout,
  type LoadPlan,
  type LoadResult,
  type SourceField,
} from './plan.js';

export { cefAddon };

type CefLayout = Extract<LineLayout, { kind: 'cef' }>;

const SOURCE = { header: 0, host: 1, time: 2, key: 3, extras: 4 } as const;
const CONVERSION: Partial<Record<SourceField['as'], { code: number; type: DuckDBType; width: number }>> = {
  string: { code: 0, type: VARCHAR, width: 16 },
  int: { code: 1, type: INTEGER, width: 4 },
  long: { code: 2, type: BIGINT, width: 8 },
  real: { code: 3, type: DOUBLE, width: 8 },
  datetime: { code: 4, type: TIMESTAMP, width: 8 },
};

/** Whether the addon can run this plan (one native table, every target fed by every line). */
export function cefNativeFits(plan: LoadPlan): boolean {
  return (
    plan.layout.kind === 'cef' &&
    !plan.partition &&
    plan.targets.every((t) => !t.when) &&
    plan.fields.every((f) => CONVERSION[f.as] !== undefined)
  );
}

/** The plan as the addon's field spec (cef-sql.ts cefRawField says the same in SQL). */
function parserFor(addon: CefAddon, plan: LoadPlan, layout: CefLayout): unknown {
  const { templates } = layout;
  const read = new Set(plan.fields.flatMap((f) => f.at as readonly string[]));
  const spec = new Int32Array(plan.fields.length * 3);
  const keyIndex = new Int32Array(plan.fields.length * Math.max(templates.length, 1)).fill(-1);
  plan.fields.forEach((field, i) => {
    const at = field.at as readonly string[];
    const first = at[0];
    const source = first.startsWith('|')
      ? SOURCE.header
      : first === '@host'
        ? SOURCE.host
        : first === '@time'
          ? SOURCE.time
          : first === '*'
            ? SOURCE.extras
            : SOURCE.key;
    spec.set(
      [source, CONVERSION[field.as]!.code, source === SOURCE.header ? Number(first.slice(1)) : 0],
      i * 3,
    );
    if (source === SOURCE.key)
      templates.forEach(
        (keys, t) => (keyIndex[i * templates.length + t] = keys.findIndex((k) => at.includes(k))),
      );
  });
  const extras = Uint8Array.from(templates.flatMap((keys) => keys.map((k) => (read.has(k) ? 0 : 1))));
  return addon.parser(templates, spec, keyIndex, extras, layout.referenceYear);
}

/** libuv's thread pool, which node-api's queries and the addon's cuts share (UV_THREADPOOL_SIZE, default 4). */
function threadPoolSize(): number {
  const size = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 4;
}

/** The pieces of a file (chunks.ts; a gzip file decompressed), one at a time, each in its own buffer. */
async function* filePieces(
  path: string,
  options: CefOptions,
): AsyncGenerator<{ buffer: Buffer; end: number; bytesRead: number }> {
  for await (const chunk of fileChunks(path, { ...options, chunkBytes: options.chunkBytes ?? PIECE_BYTES })) {
    try {
      const buffer = readFileSync(chunk.path);
      yield { buffer, end: buffer.length, bytesRead: chunk.bytesRead };
    } finally {
      chunk.done();
    }
  }
}

/**
 * Runs a CEF plan through the addon into its native table. Returns undefined (nothing done) where the
 * addon is missing or the plan is not one it runs. A plain file is scanned by DuckDB itself (scanFile:
 * an INSERT from a table function whose chunks are the cut batches), a compressed one appended batch by
 * batch (appendPieces). Either way one batch is cut on a libuv worker thread while the one before goes
 * into the table, and the file is one transaction.
 */
export async function loadCefNative(
  connection: DuckDBConnection,
  native: NativeTable,
  path: string,
  plan: LoadPlan,
  options: CefOptions,
): Promise<LoadResult | undefined> {
  const addon = cefAddon();
  if (!addon || !cefNativeFits(plan) || plan.layout.kind !== 'cef') return undefined;
  const fields = plan.fields.map((f) => CONVERSION[f.as]!);
  const load: CefLoad = {
    path,
    options,
    addon,
    parser: parserFor(addon, plan, plan.layout),
    fields,
    fileIds: new Int32Array(BATCH).fill(options.fileId),
    result: emptyLoadResult(options.fileId, native.name),
    line: options.firstLine ?? 1,
  };
  const batches: [Batch, Batch] = [
    newBatch(fields.length, options.maxLineBytes),
    newBatch(fields.length, options.maxLineBytes),
  ];
  try {
    // a table-function INSERT holds a pool thread while it waits for this thread's callbacks, which
    // block on cuts that need a pool thread too: each part needs two, else the appender (no blocking)
    const pool = threadPoolSize();
    if (options.gzip || pool < 2) await appendPieces(connection, native, load, batches);
    else await scanFile(connection, native, load, batches, pool >= 3 ? options.connect : undefined);
  } catch (err) {
    await forgetRows(connection, options.fileId, [native.name]);
    throw err;
  }
  const { result } = load;
  if (result.ingested > 0) {
    for (const t of plan.targets) result.tables[t.table] = result.ingested;
    result.stored[native.name] = result.ingested;
  }
  return result;
}

/**
 * The decompressed pieces of a gzip file (async: chunks.ts), or of a plain one where the thread pool is
 * too small for the table-function load, each batch appended with DuckDB's appender on this thread while
 * the addon cuts the next one on a worker thread.
 */
async function appendPieces(
  connection: DuckDBConnection,
  native: NativeTable,
  load: CefLoad,
  batches: [Batch, Batch],
): Promise<void> {
  const chunk = DuckDBDataChunk.create([...load.fields.map((f) => f.type), INTEGER, BIGINT]);
  let appender: DuckDBAppender | undefined;
  let inFlight: Promise<void> | undefined;
  try {
    for await (const piece of filePieces(load.path, load.options)) {
      let turn = 0;
      inFlight = piece.end > 0 ? startCut(load, batches[0], piece.buffer, 0, piece.end) : undefined;
      while (inFlight) {
        await inFlight;
        inFlight = undefined;
        const batch = batches[turn];
        const rows = takeCut(load, batch, piece.buffer);
        turn = 1 - turn;
        const next = batch.state[6];
        if (next < piece.end) inFlight = startCut(load, batches[turn], piece.buffer, next, piece.end);
        if (rows === 0) continue;
        if (!appender) {
          await connection.run('BEGIN TRANSACTION');
          appender = await connection.createAppender(native.name);
        }
        fillChunk(load, chunk.chunk, batch, rows);
        // the appender copies the strings (they point into the piece and the arena, both reused)
        appender.appendDataChunk(chunk);
        load.result.ingested += rows;
      }
      load.options.onPiece?.(load.result.lines, piece.bytesRead);
    }
    // one transaction for the file: DuckDB moves its whole row groups into the table at commit (commits
    // every ~491k rows cost 1-2 CPU-s more per 3M lines, at the same peak RSS)
    if (appender) {
      appender.closeSync();
      appender = undefined;
      await connection.run('COMMIT');
    }
  } catch (err) {
    // the addon writes into the batches until it settles; its own failure must not hide err
    await inFlight?.catch(() => undefined);
    if (appender) await connection.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
