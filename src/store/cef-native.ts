/**
 * The CEF load by Telltale's own addon (src/store/cef-native/, built by node-gyp on install; an optional
 * dependency): the C tokenizer cuts each line as the SQL of cef-sql.ts would (same templates, same odd-
 * line tests, same typed shapes, so the same lines go to the JavaScript reader) and writes the data lines
 * straight into DuckDB's vector layouts; each batch of 2,048 rows is copied into a data chunk and appended
 * to the native table, with no SQL string function per value (the SQL path cost ~0.1 CPU-s per column
 * per 300k lines). The cut of a batch runs on a libuv worker thread while this thread appends the one
 * before, so the two cores share the load. Where the addon did not build or load, bulk.ts runs the SQL plan.
 *
 * The file is read into one reused buffer a piece at a time (whole lines); the chunk's strings point into
 * it (and into an arena for AdditionalExtensions) until the appender has copied them. The file is one
 * transaction. Invalid UTF-8 or a line over the cap throws, having written nothing: the caller then reads
 * the file the slow way, as when DuckDB refuses a file.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import duckdb from '@duckdb/node-bindings';
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
import { optionalAddon } from '../util/optional-addon.js';
import { fileChunks } from './chunks.js';
import { forgetRows, type NativeTable } from './native.js';
import {
  BLANK_REASON,
  emptyLoadResult,
  type LineLayout,
  type LoadPlan,
  type LoadResult,
  type SourceField,
} from './plan.js';

type CefLayout = Extract<LineLayout, { kind: 'cef' }>;

interface CefAddon {
  /** The interface's version (cef.c ABI_VERSION); a stale build lacks it or has another. */
  version?: number;
  parser(
    templates: readonly (readonly string[])[],
    spec: Int32Array,
    keyIndex: Int32Array,
    extras: Uint8Array,
    year: number,
  ): unknown;
  /** Cuts the next batch on a libuv worker thread; the arrays are the caller's again when it settles. */
  parse(
    parser: unknown,
    buf: Uint8Array,
    start: number,
    end: number,
    cols: Uint8Array,
    validity: Uint8Array,
    arena: Uint8Array,
    readers: Float64Array,
    state: Float64Array,
  ): Promise<void>;
}

/** Rows per batch and reader lines per call: the addon's BATCH and MAX_READERS. */
const BATCH = 2048;
const MAX_READERS = 4096;
const PIECE_BYTES = 32 * 1024 * 1024;

/** The interface this module speaks (cef.c ABI_VERSION): a stale build counts as missing. */
const ABI_VERSION = 2;
const loadAddon = optionalAddon<CefAddon>('telltale-cef', ABI_VERSION);

/** The addon, or undefined where it did not build or load, is a stale build, or
 * `TELLTALE_CEF_LOADER=sql` asks for SQL. */
export function cefAddon(): CefAddon | undefined {
  if (process.env.TELLTALE_CEF_LOADER === 'sql') return undefined;
  return loadAddon();
}

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

/** Whole-line pieces of the (decompressed) file, after `skipBytes`, each in `buffer` from 0. */
async function* pieces(
  path: string,
  options: {
    gzip?: boolean;
    skipBytes?: number;
    maxLineBytes: number;
    tempDir: () => string;
    chunkBytes?: number;
  },
): AsyncGenerator<{ buffer: Buffer; end: number; bytesRead: number }> {
  if (options.gzip) {
    // a compressed file: its decompressed pieces (chunks.ts) one at a time
    for await (const chunk of fileChunks(path, {
      ...options,
      chunkBytes: options.chunkBytes ?? PIECE_BYTES,
    })) {
      try {
        const buffer = readFileSync(chunk.path);
        yield { buffer, end: buffer.length, bytesRead: chunk.bytesRead };
      } finally {
        chunk.done();
      }
    }
    return;
  }
  const buffer = Buffer.allocUnsafe(Math.max(options.chunkBytes ?? PIECE_BYTES, options.maxLineBytes + 2));
  const fd = openSync(path, 'r');
  try {
    let position = options.skipBytes ?? 0;
    let filled = 0;
    let eof = false;
    for (;;) {
      if (!eof) {
        const n = readSync(fd, buffer, filled, buffer.length - filled, position);
        position += n;
        filled += n;
        eof = n === 0;
        if (!eof && filled < buffer.length) continue;
      }
      if (filled === 0) return;
      const end = eof ? filled : buffer.lastIndexOf(10, filled - 1) + 1;
      // a line longer than the buffer is longer than the cap, which DuckDB's reader refuses as well
      if (end === 0) throw new Error(`${path}: a line longer than ${options.maxLineBytes} bytes`);
      yield { buffer, end, bytesRead: position - (filled - end) };
      buffer.copyWithin(0, end, filled);
      filled -= end;
    }
  } finally {
    closeSync(fd);
  }
}

/** The addon's output for one batch: vector data, validity, reader lines, and the in/out state. */
interface Batch {
  cols: Buffer<ArrayBuffer>;
  validity: Buffer<ArrayBuffer>;
  arena: Buffer;
  readers: Float64Array;
  state: Float64Array;
}

function newBatch(fields: number, maxLineBytes: number): Batch {
  return {
    cols: Buffer.alloc((fields + 1) * BATCH * 16),
    validity: Buffer.alloc((fields + 1) * (BATCH / 8)),
    // AdditionalExtensions of one batch (a line's take at most its length)
    arena: Buffer.alloc(Math.max(4 * 1024 * 1024, maxLineBytes + 2)),
    readers: new Float64Array(MAX_READERS * 3),
    state: new Float64Array(8),
  };
}

/**
 * Runs a CEF plan through the addon into its native table. Returns undefined (nothing done) where the
 * addon is missing or the plan is not one it runs. Two batches alternate: while the addon cuts the next
 * one on a worker thread, this thread appends the last one (DuckDB's appender is the longer of the two),
 * so the load uses two cores.
 */
export async function loadCefNative(
  connection: DuckDBConnection,
  native: NativeTable,
  path: string,
  plan: LoadPlan,
  options: {
    gzip?: boolean;
    maxLineBytes: number;
    chunkBytes?: number;
    tempDir: () => string;
    fileId: number;
    firstLine?: number;
    skipBytes?: number;
    onPiece?: (lines: number, bytesRead: number) => void;
  },
): Promise<LoadResult | undefined> {
  const addon = cefAddon();
  if (!addon || !cefNativeFits(plan) || plan.layout.kind !== 'cef') return undefined;
  const parser = parserFor(addon, plan, plan.layout);
  const fields = plan.fields.map((f) => CONVERSION[f.as]!);
  const nf = fields.length;
  const batches = [newBatch(nf, options.maxLineBytes), newBatch(nf, options.maxLineBytes)];
  const chunk = DuckDBDataChunk.create([...fields.map((f) => f.type), INTEGER, BIGINT]);
  const vectors = Array.from({ length: nf + 2 }, (_, i) => duckdb.data_chunk_get_vector(chunk.chunk, i));
  const fileIds = new Int32Array(BATCH).fill(options.fileId);
  duckdb.copy_data_to_vector(vectors[nf], 0, fileIds.buffer, 0, fileIds.byteLength);
  const result = emptyLoadResult(options.fileId, native.name);
  /** Copies the batch into the chunk's vectors (DuckDB's layouts already) and appends it. */
  const append = (appender: DuckDBAppender, { cols, validity }: Batch, rows: number) => {
    const words = Math.ceil(rows / 64) * 8;
    for (let c = 0; c <= nf; c++) {
      const vector = vectors[c < nf ? c : nf + 1];
      const offset = cols.byteOffset + c * BATCH * 16;
      duckdb.copy_data_to_vector(vector, 0, cols.buffer, offset, rows * (c < nf ? fields[c].width : 8));
      if (c === nf) continue; // _line is never null
      duckdb.vector_ensure_validity_writable(vector);
      duckdb.copy_data_to_vector_validity(
        vector,
        0,
        validity.buffer,
        validity.byteOffset + c * (BATCH / 8),
        words,
      );
    }
    chunk.rowCount = rows;
    // the appender copies the strings (they point into the piece and the arena, both reused)
    appender.appendDataChunk(chunk);
  };
  /** Starts the cut of the batch at `start` of the piece, from line number `first`. */
  const parse = (batch: Batch, buffer: Buffer, start: number, end: number, first: number) => {
    batch.state[0] = first;
    batch.state[1] = options.maxLineBytes;
    batch.state[5] = 0;
    const { cols, validity, arena, readers, state } = batch;
    return addon.parse(parser, buffer, start, end, cols, validity, arena, readers, state);
  };
  let line = options.firstLine ?? 1;
  let appender: DuckDBAppender | undefined;
  let inFlight: Promise<void> | undefined;
  try {
    for await (const piece of pieces(path, options)) {
      // the piece's buffer is reused for the next piece: every batch of this one is appended first
      let turn = 0;
      inFlight = piece.end > 0 ? parse(batches[0], piece.buffer, 0, piece.end, line) : undefined;
      while (inFlight) {
        await inFlight;
        inFlight = undefined;
        const batch = batches[turn];
        const { state, readers } = batch;
        if (state[7] !== 0) {
          const why = state[7] === 1 ? 'invalid UTF-8' : `a line longer than ${options.maxLineBytes} bytes`;
          throw new Error(`${path}:${state[0]}: ${why}`);
        }
        // every call cuts at least one line (the arena holds a whole line): no progress is a fault
        if (state[0] === line) throw new Error(`${path}:${line}: the CEF tokenizer did not advance`);
        result.lines += state[0] - line;
        line = state[0];
        turn = 1 - turn;
        if (state[6] < piece.end) inFlight = parse(batches[turn], piece.buffer, state[6], piece.end, line);
        if (state[3] > 0) result.ignored[BLANK_REASON] = (result.ignored[BLANK_REASON] ?? 0) + state[3];
        for (let r = 0; r < state[4]; r++) {
          const text = piece.buffer.toString('utf8', readers[r * 3 + 1], readers[r * 3 + 2]);
          result.toReader.push({ line: readers[r * 3], text });
        }
        const rows = state[2];
        if (rows === 0) continue;
        if (!appender) {
          await connection.run('BEGIN TRANSACTION');
          appender = await connection.createAppender(native.name);
        }
        append(appender, batch, rows);
        result.ingested += rows;
      }
      options.onPiece?.(result.lines, piece.bytesRead);
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
    await forgetRows(connection, options.fileId, [native.name]);
    throw err;
  }
  if (result.ingested > 0) {
    for (const t of plan.targets) result.tables[t.table] = result.ingested;
    result.stored[native.name] = result.ingested;
  }
  return result;
}
