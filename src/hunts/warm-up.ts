/**
 * Hunt preparation that needs no data, done while the ingest runs: Kusto.Language's load and first-use
 * set-up (~2.6-3.3 CPU-s in one synchronous call, which cannot be cut), which the first hunt's
 * compilation otherwise pays on this thread after the ingest. Nothing it does depends on the data.
 *
 * A step runs only when this thread has been idle for a while and a core was free: DuckDB reading a
 * log on its own threads leaves this thread idle, but on a small machine it keeps every core busy, and
 * where the ingest works on this thread (surveying a file's lines, the CEF load) a step would only
 * delay it. Steps stop once the ingest is over: the first hunt then loads Kusto.Language itself.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseSyntax } from '../kql/kusto.js';

/** The idle stretch a step waits for, and how busy this thread may have been in it. */
const QUIET_MS = 100;
const QUIET_UTILIZATION = 0.2;
/** A core is free when the process (DuckDB's threads included) used at most all but one, give or take this. */
const SPARE_CORE_SLACK = 0.1;

export interface WarmUp {
  /** Settles when every step ran, or the warm-up was stopped. */
  finished: Promise<void>;
  /** Runs no further step; settles when the step under way (if any) is over. */
  stop(): Promise<void>;
}

/**
 * The steps: Kusto.Language's set-up only. Compiling the whole pack ahead as well was measured (3M
 * Zeek, load 6-7): 8.9 CPU-s more before the hunts for 3.6 less in them, since after the first hunt the
 * run's compilations share the binder's state anyway.
 */
function warmSteps(): Array<() => void> {
  return [() => parseSyntax('print 1')];
}

/** Starts warming the hunts' compilation, one step each time this thread has been idle for a while. */
export function warmHuntCompilation(): WarmUp {
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const idle = async () => {
    for (;;) {
      const [loop, cpu, started] = [
        performance.eventLoopUtilization(),
        process.cpuUsage(),
        performance.now(),
      ];
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, QUIET_MS);
      });
      if (stopped) return;
      const used = process.cpuUsage(cpu);
      const coresUsed = (used.user + used.system) / 1000 / (performance.now() - started);
      const quiet = performance.eventLoopUtilization(loop).utilization < QUIET_UTILIZATION;
      if (quiet && coresUsed <= availableParallelism() - 1 + SPARE_CORE_SLACK) return;
    }
  };
  const finished = (async () => {
    for (const step of warmSteps()) {
      await idle();
      if (stopped) return;
      try {
        step();
      } catch {
        // the run compiles the hunt again and reports its error (or Kusto.Language's)
      }
    }
  })();
  return {
    finished,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      return finished;
    },
  };
}
