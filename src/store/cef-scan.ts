/**
 * A plain CEF file into its native table by DuckDB's own INSERT: a table function (tt_cef_batches) hands
 * DuckDB the addon's cut batches as its chunks, so DuckDB's append runs on a DuckDB thread while this
 * thread only copies batches, and a large file is two parts inserted at once by two connections.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import duckdb from '@duckdb/node-bindings';
import {
  BIGINT,
  DuckDBTableFunction,
  INTEGER,
  type DuckDBConnection,
  type DuckDBType,
} from '@duckdb/node-api';
import { quoteIdent } from '../util/sql.js';
import {
  fillChunk,
  newBatch,
  PIECE_BYTES,
  startCut,
  takeCut,
  type Batch,
  type CefLoad,
  type CefOptions,
} from './cef-batch.js';
import type { NativeTable } from './native.js';
import { emptyLoadResult } from './plan.js';

/** Whole-line pieces of bytes [from, to) of a plain file, read synchronously into two buffers in turn, so
 * the strings of one piece's last batch stay valid while the next piece is read and cut. */
function* plainPieces(path: string, options: CefOptions, from: number, to: number): Generator<Piece> {
  const size = Math.max(options.chunkBytes ?? PIECE_BYTES, options.maxLineBytes + 2);
  const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  const fd = openSync(path, 'r');
  try {
    let position = from;
    let turn = 0;
    let filled = 0;
    let eof = false;
    for (;;) {
      const buffer = buffers[turn];
      while (!eof && filled < size) {
        const n = readSync(fd, buffer, filled, Math.min(size - filled, to - position), position);
        position += n;
        filled += n;
        eof = n === 0;
      }
      if (filled === 0) return;
      const end = eof ? filled : buffer.lastIndexOf(10, filled - 1) + 1;
      // a line longer than the buffer is longer than the cap, which DuckDB's reader refuses as well
      if (end === 0) throw new Error(`${path}: a line longer than ${options.maxLineBytes} bytes`);
      yield { buffer, end, bytesRead: position - (filled - end) };
      turn = 1 - turn;
      buffer.copy(buffers[turn], 0, end, filled); // the partial last line starts the next piece
      filled -= end;
    }
  } finally {
    closeSync(fd);
  }
}

interface Piece {
  buffer: Buffer;
  end: number;
  bytesRead: number;
}

/**
 * The batches of a plain file as a table function's chunks. DuckDB's thread asks for each chunk and
 * then inserts it; the callback runs on this thread and waits for the batch's cut (started on a libuv
 * worker thread while DuckDB inserted the one before), starts the next cut into the other batch, and
 * hands this one over. A batch's strings point into its piece and arena: the one handed over is not
 * reused before DuckDB asks for the next chunk, by which time it has inserted it.
 */
class BatchFeed {
  error: unknown;
  /** The table function's columns: the plan's fields, `_file`, `_line` (the native table's order). */
  readonly columns: readonly DuckDBType[];
  private readonly pieces: Generator<Piece>;
  private piece: Piece | undefined;
  private cut: { batch: Batch; piece: Piece; done: Promise<void> } | undefined;
  private turn = 0;

  constructor(
    private readonly load: CefLoad,
    private readonly batches: [Batch, Batch],
    range: { from: number; to: number },
    /** True once another part of the file failed: this one ends at its next chunk. */
    private readonly stopped: () => boolean,
  ) {
    this.columns = [...load.fields.map((f) => f.type), INTEGER, BIGINT];
    this.pieces = plainPieces(load.path, load.options, range.from, range.to);
    this.startNext(0);
  }

  /** Fills `chunk` with the next batch that has rows; 0 rows at the end of the file. */
  next(chunk: duckdb.DataChunk): void {
    while (this.cut && !this.stopped()) {
      const { batch, piece } = this.cut;
      this.load.addon.wait(batch.state);
      this.cut = undefined;
      const rows = takeCut(this.load, batch, piece.buffer);
      this.startNext(batch.state[6]);
      if (rows === 0) continue;
      fillChunk(this.load, chunk, batch, rows);
      this.load.result.ingested += rows;
      return;
    }
    duckdb.data_chunk_set_size(chunk, 0);
  }

  /** Starts the cut from `start` of the current piece, or of the next piece once this one is done. */
  private startNext(start: number): void {
    if (!this.piece || start >= this.piece.end) {
      if (this.piece) this.load.options.onPiece?.(this.load.result.lines, this.piece.bytesRead);
      const next = this.pieces.next();
      this.piece = next.done ? undefined : next.value;
      start = 0;
      if (!this.piece || this.piece.end === 0) return;
    }
    const batch = this.batches[this.turn];
    this.turn = 1 - this.turn;
    const done = startCut(this.load, batch, this.piece.buffer, start, this.piece.end);
    this.cut = { batch, piece: this.piece, done };
  }

  /** Waits for a cut still in flight (it writes into the batches) and closes the file. */
  async close(): Promise<void> {
    const cut = this.cut;
    this.cut = undefined;
    await cut?.done.catch(() => undefined);
    this.pieces.return(undefined);
  }
}

/** The feeds of the scans running now, by the id their INSERT passes to the table function. */
const feeds = new Map<number, BatchFeed>();
let feedIds = 0;
const FEED_FUNCTION = 'tt_cef_batches';
const withFeedFunction = new WeakSet<DuckDBConnection>();

/** Registers the table function on the connection once: tt_cef_batches(feed id) -> the feed's columns. */
function registerFeedFunction(connection: DuckDBConnection): void {
  if (withFeedFunction.has(connection)) return;
  const feedOf = (id: unknown) => feeds.get(Number(id));
  connection.registerTableFunction(
    DuckDBTableFunction.create({
      name: FEED_FUNCTION,
      parameterTypes: [BIGINT],
      bindFunction: (info) => {
        const feed = feedOf(info.getParameter(0));
        if (!feed) return info.setError(`${FEED_FUNCTION}: no such feed`);
        feed.columns.forEach((type, i) => info.addResultColumn(`c${i}`, type));
        info.setBindData(feed);
      },
      // one thread: DuckDB keeps the rows in the file's order, as the appender did
      initFunction: (info) => info.setMaxThreads(1),
      mainFunction: (info, output) => {
        const feed = info.bindData as BatchFeed;
        try {
          feed.next(output.chunk);
        } catch (err) {
          feed.error = err;
          duckdb.data_chunk_set_size(output.chunk, 0);
          info.setError(err instanceof Error ? err.message : String(err));
        }
      },
    }),
  );
  withFeedFunction.add(connection);
}

/**
 * A plain file: an INSERT … SELECT from the table function that hands DuckDB the cut batches. A large
 * file is two parts at a line start near its middle, each inserted by its own connection and transaction
 * at once (DuckDB's append is the long pole: two parts use both cores for it); the first part commits
 * first, so the table keeps the file's order.
 */
export async function scanFile(
  connection: DuckDBConnection,
  native: NativeTable,
  load: CefLoad,
  batches: [Batch, Batch],
  connect: (() => Promise<DuckDBConnection>) | undefined,
): Promise<void> {
  const from = load.options.skipBytes ?? 0;
  const size = fstatSize(load.path);
  // a file of two pieces or fewer is one part: a second connection would cost more than it saves
  const twoParts = connect !== undefined && size - from > 2 * (load.options.chunkBytes ?? PIECE_BYTES);
  const split = twoParts ? lineStartAfter(load.path, from + (size - from) / 2, size) : size;
  // DuckDB's calling thread polls for work while another thread runs the scan's one task (~3 CPU-s per
  // 3M lines of busy waiting): with one thread the calling thread runs the task itself
  const threads = (await connection.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0][0];
  await connection.run('SET threads = 1');
  try {
    registerFeedFunction(connection); // outside a transaction: DuckDB refuses it inside one
    if (split >= size || !connect)
      return await insertPart(connection, native, load, batches, { from, to: size });
    await scanTwoParts(connection, await connect(), native, load, batches, { from, split, to: size });
  } finally {
    await connection.run(`SET threads = ${Number(threads)}`);
  }
}

async function scanTwoParts(
  connection: DuckDBConnection,
  second: DuckDBConnection,
  native: NativeTable,
  head: CefLoad,
  batches: [Batch, Batch],
  { from, split, to }: { from: number; split: number; to: number },
): Promise<void> {
  const firstLine = head.line;
  const tail: CefLoad = { ...head, result: emptyLoadResult(head.result.fileId, native.name) };
  // progress: both parts' lines, and the bytes read of each
  const read = [from, split];
  const { onPiece } = head.options;
  const progress = (part: number) => (_lines: number, bytesRead: number) => {
    read[part] = bytesRead;
    onPiece?.(head.result.lines + tail.result.lines, read[0] + (read[1] - split));
  };
  head.options = { ...head.options, onPiece: progress(0) };
  tail.options = { ...tail.options, onPiece: progress(1) };
  let failed = false;
  const stopped = () => failed;
  const inserting: Promise<void>[] = [];
  try {
    registerFeedFunction(second);
    await connection.run('BEGIN TRANSACTION');
    await second.run('BEGIN TRANSACTION');
    const part = (
      con: DuckDBConnection,
      load: CefLoad,
      b: [Batch, Batch],
      range: { from: number; to: number },
    ) =>
      insertPart(con, native, load, b, range, stopped).catch((err: unknown) => {
        failed = true;
        throw err;
      });
    inserting.push(part(connection, head, batches, { from, to: split }));
    // the tail's first line: the head's lines counted while the head is inserted
    tail.line = firstLine + (await countLines(head, from, split));
    const tailBatches: [Batch, Batch] = [
      newBatch(head.fields.length, head.options.maxLineBytes),
      newBatch(head.fields.length, head.options.maxLineBytes),
    ];
    inserting.push(part(second, tail, tailBatches, { from: split, to }));
    const settled = await Promise.allSettled(inserting);
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    await connection.run('COMMIT');
    await second.run('COMMIT');
  } catch (err) {
    failed = true;
    await Promise.allSettled(inserting);
    await connection.run('ROLLBACK').catch(() => undefined);
    await second.run('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    second.closeSync();
  }
  const { result } = head;
  result.lines += tail.result.lines;
  result.ingested += tail.result.ingested;
  for (const [reason, n] of Object.entries(tail.result.ignored))
    result.ignored[reason] = (result.ignored[reason] ?? 0) + n;
  for (const line of tail.result.toReader) result.toReader.push(line);
}

/** One part of a plain file, [from, to), into the native table by one INSERT on `connection`. */
async function insertPart(
  connection: DuckDBConnection,
  native: NativeTable,
  load: CefLoad,
  batches: [Batch, Batch],
  range: { from: number; to: number },
  stopped: () => boolean = () => false,
): Promise<void> {
  const feed = new BatchFeed(load, batches, range, stopped);
  const id = ++feedIds;
  feeds.set(id, feed);
  try {
    await connection.run(`INSERT INTO ${quoteIdent(native.name)} SELECT * FROM ${FEED_FUNCTION}(${id})`);
  } catch (err) {
    throw feed.error ?? err;
  } finally {
    feeds.delete(id);
    await feed.close();
  }
}

function fstatSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** The offset of the first line that starts at or after `at` (`end` where none does). */
function lineStartAfter(path: string, at: number, end: number): number {
  const fd = openSync(path, 'r');
  const window = Buffer.allocUnsafe(64 * 1024);
  try {
    for (let position = Math.floor(at); position < end; position += window.length) {
      const n = readSync(fd, window, 0, window.length, position);
      const nl = window.subarray(0, n).indexOf(10);
      if (nl >= 0) return position + nl + 1;
      if (n === 0) break;
    }
    return end;
  } finally {
    closeSync(fd);
  }
}

/** The newlines in bytes [from, to) of the file, read a piece at a time; the event loop runs between
 * pieces, so the first part's chunks keep going meanwhile. */
async function countLines(load: CefLoad, from: number, to: number): Promise<number> {
  const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
  const fd = openSync(load.path, 'r');
  try {
    let lines = 0;
    for (let position = from; position < to;) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, to - position), position);
      if (n === 0) break;
      lines += load.addon.lines(buffer, 0, n);
      position += n;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}
