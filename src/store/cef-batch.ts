/**
 * The telltale-cef addon's interface and the life of one batch, shared by the two CEF loads (cef-native.ts
 * appends a compressed file's batches, cef-scan.ts hands a plain file's batches to DuckDB's INSERT): the
 * addon cuts a batch on a libuv worker thread, takeCut counts it into the load, fillChunk copies it into a
 * DuckDB data chunk.
 */
import duckdb from '@duckdb/node-bindings';
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { optionalAddon } from '../util/optional-addon.js';
import { BLANK_REASON, type LoadResult } from './plan.js';

export interface CefAddon {
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
  /** Blocks until the cut writing `state` is done (for a table function's callback, which cannot await). */
  wait(state: Float64Array): void;
  /** The newlines in buf[start, end). */
  lines(buf: Uint8Array, start: number, end: number): number;
}

/** Rows per batch and reader lines per call: the addon's BATCH and MAX_READERS. */
export const BATCH = 2048;
export const MAX_READERS = 4096;
export const PIECE_BYTES = 32 * 1024 * 1024;

/** The interface this module speaks (cef.c ABI_VERSION): a stale build counts as missing. */
const ABI_VERSION = 3;
const loadAddon = optionalAddon<CefAddon>('telltale-cef', ABI_VERSION);

/** The addon, or undefined where it did not build or load, is a stale build, or
 * `TELLTALE_CEF_LOADER=sql` asks for SQL. */
export function cefAddon(): CefAddon | undefined {
  if (process.env.TELLTALE_CEF_LOADER === 'sql') return undefined;
  return loadAddon();
}

/** The addon's output for one batch: vector data, validity, reader lines, and the in/out state. */
export interface Batch {
  cols: Buffer<ArrayBuffer>;
  validity: Buffer<ArrayBuffer>;
  arena: Buffer;
  readers: Float64Array;
  state: Float64Array;
}

export function newBatch(fields: number, maxLineBytes: number): Batch {
  return {
    cols: Buffer.alloc((fields + 1) * BATCH * 16),
    validity: Buffer.alloc((fields + 1) * (BATCH / 8)),
    // AdditionalExtensions of one batch (a line's take at most its length)
    arena: Buffer.alloc(Math.max(4 * 1024 * 1024, maxLineBytes + 2)),
    readers: new Float64Array(MAX_READERS * 3),
    state: new Float64Array(16),
  };
}

export type CefOptions = {
  gzip?: boolean;
  maxLineBytes: number;
  chunkBytes?: number;
  tempDir: () => string;
  fileId: number;
  firstLine?: number;
  skipBytes?: number;
  onPiece?: (lines: number, bytesRead: number) => void;
  /** A second connection to the same database: a large plain file is then inserted in two parts at once. */
  connect?: () => Promise<DuckDBConnection>;
};

/** What a load shares between its batches: the plan's columns, the counts, the next line number. */
export interface CefLoad {
  path: string;
  options: CefOptions;
  addon: CefAddon;
  parser: unknown;
  fields: { type: DuckDBType; width: number }[];
  fileIds: Int32Array<ArrayBuffer>;
  result: LoadResult;
  line: number;
}

/** Copies a cut batch into a data chunk's vectors (DuckDB's layouts already), `_file` and `_line` too. */
export function fillChunk(
  load: CefLoad,
  chunk: duckdb.DataChunk,
  { cols, validity }: Batch,
  rows: number,
): void {
  const nf = load.fields.length;
  const words = Math.ceil(rows / 64) * 8;
  duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk, nf), 0, load.fileIds.buffer, 0, rows * 4);
  for (let c = 0; c <= nf; c++) {
    const vector = duckdb.data_chunk_get_vector(chunk, c < nf ? c : nf + 1);
    const offset = cols.byteOffset + c * BATCH * 16;
    duckdb.copy_data_to_vector(vector, 0, cols.buffer, offset, rows * (c < nf ? load.fields[c].width : 8));
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
  duckdb.data_chunk_set_size(chunk, rows);
}

/** Starts the cut of `batch` from `start` of the piece, at the load's next line. */
export function startCut(
  load: CefLoad,
  batch: Batch,
  buffer: Buffer,
  start: number,
  end: number,
): Promise<void> {
  batch.state[0] = load.line;
  batch.state[1] = load.options.maxLineBytes;
  batch.state[5] = 0;
  const { cols, validity, arena, readers, state } = batch;
  return load.addon.parse(load.parser, buffer, start, end, cols, validity, arena, readers, state);
}

/** Counts a settled cut into the load (lines, blanks, reader lines); returns its rows. Throws on a status. */
export function takeCut(load: CefLoad, { state, readers }: Batch, buffer: Buffer): number {
  const { path, result, options } = load;
  if (state[7] !== 0) {
    const why = state[7] === 1 ? 'invalid UTF-8' : `a line longer than ${options.maxLineBytes} bytes`;
    throw new Error(`${path}:${state[0]}: ${why}`);
  }
  // every call cuts at least one line (the arena holds a whole line): no progress is a fault
  if (state[0] === load.line) throw new Error(`${path}:${load.line}: the CEF tokenizer did not advance`);
  result.lines += state[0] - load.line;
  load.line = state[0];
  if (state[3] > 0) result.ignored[BLANK_REASON] = (result.ignored[BLANK_REASON] ?? 0) + state[3];
  for (let r = 0; r < state[4]; r++) {
    const text = buffer.toString('utf8', readers[r * 3 + 1], readers[r * 3 + 2]);
    result.toReader.push({ line: readers[r * 3], text });
  }
  return state[2];
}
