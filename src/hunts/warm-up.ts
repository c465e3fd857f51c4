/**
 * Hunt preparation that needs no data, done while the ingest runs. The hunts' first compilations cost
 * this thread several CPU-seconds after the ingest otherwise: Kusto.Language's load and first-use
 * set-up (~2.5 CPU-s in one call, which cannot be cut), then each hunt's first parse and bind (the
 * binder's and the translator's code still cold, the parser tables' schema sets not yet built); a
 * repeat compilation costs a fraction of the first.
 *
 * The compiled SQL is thrown away: what depends on the data (the clock, the CommonSecurityLog vendors,
 * whether the parser tables could be stored, the bound indicator lists) is compiled again by the run,
 * from warm code and caches keyed by all of it.
 *
 * A step runs only when this thread has been idle for a while and a core was free: DuckDB reading a
 * log on its own threads leaves this thread idle, but on a small machine it keeps every core busy, and
 * where the ingest works on this thread (surveying a file's lines, the CEF addon's appends) a step
 * would only delay it. Steps stop once the ingest is over: the run compiles whatever was left itself.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { compileKql } from '../kql/compile-query.js';
import { parseSyntax } from '../kql/kusto.js';
import type { StoredParserTables } from '../kql/compile.js';
import type { Store } from '../store/db.js';
import type { Hunt } from './model.js';
import { plannedParserTables } from './run-parsers.js';

/** Any fixed clock: the warm compilation's SQL is not used. */
const WARM_CLOCK = new Date(0);
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

/** The steps: Kusto.Language's set-up, then each hunt compiled as the run will (shortest first). */
function warmSteps(hunts: readonly Hunt[], store: Store): Array<() => void> {
  let asimTables: StoredParserTables | undefined;
  return [
    () => parseSyntax('print 1'),
    // the parser tables the run will store: the hunts then bind against the run's very schemas
    () => (asimTables = plannedParserTables(store, hunts)),
    ...[...hunts]
      .sort((a, b) => a.query.length - b.query.length)
      .map((hunt) => () => compileKql(hunt.query, { schemas: store.schemas, now: WARM_CLOCK, asimTables })),
  ];
}

/** Starts warming the hunts' compilation, one step each time this thread has been idle for a while. */
export function warmHuntCompilation(hunts: readonly Hunt[], store: Store): WarmUp {
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
    for (const step of warmSteps(hunts, store)) {
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
