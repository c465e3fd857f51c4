/**
 * A scan worker as the pool sees it: a worker thread (WASM engine: the compiled module is shared, a
 * `SharedArrayBuffer` carries its progress) or a child process (native engine: a crash or a hung native
 * call takes down only that process, which SIGKILL always stops; it reports progress by message).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  JobState,
  MessageProgress,
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

export function openChannel(init: Omit<WorkerInit, 'state'>): Channel {
  return init.engine === 'native' ? processChannel(init) : threadChannel(init);
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

function processChannel(init: Omit<WorkerInit, 'state'>): Channel {
  const progress = new MessageProgress();
  const js = fileURLToPath(new URL('./worker.js', import.meta.url));
  const child: ChildProcess = existsSync(js)
    ? fork(js, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    : fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [], {
        execArgv: ['--import', pathToFileURL(tsxEntry('.')).href],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
  child.send({ init });
  return {
    progress,
    send: (m) => void child.send(m),
    on: (h) => {
      child.on('message', (m: FromWorker) => {
        if ('progress' in m) return progress.update(m);
        if ('done' in m) progress.end(m.id);
        h.message(m);
      });
      child.on('error', h.error);
      child.on('exit', (code, signal) => h.exit(signal ? `signal ${signal}` : `code ${code}`));
    },
    kill: () => void child.kill('SIGKILL'),
    release: () => {
      if (child.connected) child.send({ stop: true });
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
