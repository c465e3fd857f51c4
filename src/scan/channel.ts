/**
 * A scan worker as the pool sees it: a worker thread (WASM engine: the compiled module is shared, a
 * `SharedArrayBuffer` carries its progress) or a child process (native engine: a crash or a hung native
 * call takes down only that process, which SIGKILL always stops; it reports progress by message).
 */
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  JobState,
  PROGRESS_FD,
  ProgressFileReader,
  type FromWorker,
  type Progress,
  type ToWorker,
  type WorkerInit,
} from './protocol.js';

export interface Channel {
  readonly progress: Progress;
  send(m: ToWorker): void;
  on(handlers: {
    message: (m: FromWorker) => void;
    error: (err: Error) => void;
    /** `code N` or `signal S`. */
    exit: (how: string) => void;
  }): void;
  kill(): void;
  /** Ask it to finish and exit; it no longer holds this process open. */
  release(): void;
}

/** A native worker forked ahead of its init (see forkWorker), or a fresh one when none is left. */
export function openChannel(init: Omit<WorkerInit, 'state'>, spares: ChildProcess[] = []): Channel {
  return init.engine === 'native' ? processChannel(init, spares.pop() ?? forkWorker()) : threadChannel(init);
}

/** Each forked worker's progress file (see PROGRESS_FD), as the pool reads it. */
const progressFds = new WeakMap<ChildProcess, number>();

/**
 * An unlinked temp file: nothing is left behind, whatever happens to either process. Sized to hold a
 * JobState, as the worker may map it (an access past a mapped file's end would raise SIGBUS).
 */
function progressFile(): number {
  const path = join(tmpdir(), `telltale-progress-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  ftruncateSync(fd, JobState.BYTES);
  return fd;
}

/**
 * A native worker process, started before the rules and the job list are known: Node's start, the
 * worker's modules and the addon (~0.1 s of CPU with the bundle) then overlap the folder walk. It
 * waits for its init message; `dismiss` ends one that was not needed. Its progress file is its
 * descriptor PROGRESS_FD.
 *
 * glibc.malloc.hugetlb=1: the worker's large buffers (the read buffer, the addon's copy of the object)
 * get transparent huge pages. Touching fresh memory page by page is what a large file costs most here:
 * measured on this VM, first touch of 256 MiB took ~1.1 s of CPU with 4 KiB pages, ~0.5 s with 2 MiB ones.
 */
export function forkWorker(): ChildProcess {
  const tunables = [process.env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1'].filter(Boolean).join(':');
  const fd = progressFile();
  const stdio: ForkOptions['stdio'] = ['ignore', 'ignore', 'inherit', 'ipc', fd];
  if (stdio.length !== PROGRESS_FD + 1) throw new Error('progress file descriptor out of place');
  // NODE_EXTRA_CA_CERTS makes Node parse that certificate file as it starts (~45 ms of CPU per process
  // with Debian's bundle, measured): a scan worker opens no TLS connection.
  const { NODE_EXTRA_CA_CERTS: _certs, ...env } = process.env;
  const options: ForkOptions = {
    serialization: 'advanced',
    stdio,
    env: { ...env, GLIBC_TUNABLES: tunables },
  };
  const compiled = processEntry();
  const child = compiled
    ? fork(compiled, [], { ...options, execArgv: [] })
    : fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [], {
        ...options,
        execArgv: ['--import', pathToFileURL(tsxEntry('.')).href],
      });
  progressFds.set(child, fd);
  // Closed after the exit handlers ran: the pool reads a dead worker's progress in its own.
  child.once('exit', () => setImmediate(() => closeSync(fd)));
  return child;
}

/**
 * A worker process's compiled entry: `worker.cjs`, the worker and its modules bundled into one CommonJS
 * file by `npm run build` (esbuild), else `worker.js`; undefined from sources (then tsx loads worker.ts).
 * Why the bundle: a worker process lives for one scan, and loading ~20 ES modules (resolution, the ESM
 * facades of node:fs and node:crypto, which pull in the stream modules) cost ~45 ms of CPU per process
 * here, a third of its start-up (measured: bare `node` 0.07 s, worker.js 0.145 s, worker.cjs 0.10 s).
 */
function processEntry(): string | undefined {
  const js = fileURLToPath(new URL('./worker.js', import.meta.url));
  const cjs = fileURLToPath(new URL('./worker.cjs', import.meta.url));
  const jsTime = statSync(js, { throwIfNoEntry: false })?.mtimeMs;
  const cjsTime = statSync(cjs, { throwIfNoEntry: false })?.mtimeMs;
  // a bundle older than worker.js is stale (tsc ran alone after a build)
  if (cjsTime !== undefined && (jsTime === undefined || cjsTime >= jsTime)) return cjs;
  return jsTime === undefined ? undefined : js;
}

/** A forked worker that got no init: it exits when its channel closes. */
export function dismiss(child: ChildProcess): void {
  if (child.connected) child.disconnect();
  child.unref();
}

function threadChannel(init: Omit<WorkerInit, 'state'>): Channel {
  const state = new JobState();
  const entry = threadEntry();
  const worker = new Worker(entry.source, { workerData: { ...init, state: state.buffer }, eval: entry.eval });
  return {
    progress: state,
    send: (m) => worker.postMessage(m),
    on: (h) => {
      worker.on('message', h.message);
      worker.on('error', h.error);
      worker.on('exit', (code) => h.exit(`code ${code}`));
    },
    kill: () => void worker.terminate(),
    release: () => {
      worker.postMessage({ stop: true });
      worker.unref();
    },
  };
}

function processChannel(init: Omit<WorkerInit, 'state'>, child: ChildProcess): Channel {
  const progress = new ProgressFileReader(progressFds.get(child)!);
  child.send({ init });
  return {
    progress,
    send: (m) => {
      // A child that just died (a panic aborts it) fails the write with EPIPE before its exit event
      // arrives; the exit event says what happened, so the write error is not reported on its own.
      child.send(m, undefined, {}, () => undefined);
    },
    on: (h) => {
      child.on('message', h.message);
      child.on('error', h.error);
      child.on('exit', (code, signal) => h.exit(signal ? `signal ${signal}` : `code ${code}`));
    },
    kill: () => void child.kill('SIGKILL'),
    release: () => {
      if (child.connected) child.send({ stop: true }, undefined, {}, () => undefined);
      child.unref();
      child.channel?.unref();
    },
  };
}

/**
 * dist/: the compiled worker.js. From sources (vitest, tsx): worker.ts, loaded by a tiny bootstrap that
 * registers tsx's ESM hooks inside the worker first (`execArgv: ['--import', 'tsx']` is not honoured for
 * a worker's entry module on Node 20).
 */
function threadEntry(): { source: string | URL; eval: boolean } {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { source: js, eval: false };
  const api = pathToFileURL(tsxEntry('./esm/api')).href;
  const ts = new URL('./worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(ts)}); });`;
  return { source: boot, eval: true };
}

/** A tsx ESM entry file (require.resolve would give its CommonJS twin, which can't register ESM hooks). */
function tsxEntry(exportName: string): string {
  const pkgJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as {
    exports: Record<string, string | { import: string | { default: string } }>;
  };
  const e = pkg.exports[exportName];
  const file = typeof e === 'string' ? e : typeof e.import === 'string' ? e.import : e.import.default;
  return resolve(dirname(pkgJson), file);
}
