/**
 * Run one job inside a worker: read the file (or take the buffer, or walk the process's regions) and
 * hand each object to the Expander. Every failure becomes a Skipped item; nothing here throws.
 */
import { Budget } from './limits.js';
import type { Expander, Sink } from './expand.js';
import { FileReader } from './file.js';
import type { MapFile } from './mapped.js';
import { MemoryReader, processLabel, readableRegions } from './memory.js';
import type { Job } from './protocol.js';
import { sizeLabel } from './size.js';
import type { ExpandLimits } from './types.js';

export interface JobConfig {
  maxFileSize: number;
  maxRegionSize: number;
  limits: ExpandLimits;
  /** Native workers (child processes) map large files instead of reading them: see file.ts. */
  map?: MapFile;
}

export class JobRunner {
  private readonly files: FileReader;
  private readonly memory: MemoryReader;

  constructor(
    private readonly expander: Expander,
    private readonly sink: Sink,
    private readonly cfg: JobConfig,
  ) {
    this.files = new FileReader(cfg.maxFileSize, cfg.map);
    this.memory = new MemoryReader(cfg.maxRegionSize);
  }

  async run(job: Job): Promise<void> {
    if (job.kind === 'pid') return this.process(job.pid);
    const name = job.kind === 'file' ? job.path : job.name;
    const data = job.kind === 'file' ? this.files.read(job.path) : job.data;
    if (!(data instanceof Uint8Array))
      return this.sink.skipped({ path: name, reason: data.reason, incomplete: true });
    if (data.length > this.cfg.maxFileSize)
      return this.sink.skipped({
        path: name,
        reason: `larger than ${sizeLabel(this.cfg.maxFileSize)} cap (${data.length} bytes)`,
        incomplete: true,
      });
    const budget = new Budget(this.cfg.limits, this.cfg.maxFileSize);
    await this.expander.object(name, job.kind === 'file' ? 'file' : 'stdin', data, 0, budget);
  }

  private async process(pid: number): Promise<void> {
    const label = processLabel(pid);
    const regions = readableRegions(pid);
    if (typeof regions === 'string') return this.sink.skipped({ path: label, reason: regions });
    const fd = this.memory.open(pid);
    if (typeof fd === 'string') return this.sink.skipped({ path: label, reason: fd });
    let failed = 0;
    let lastError = '';
    try {
      for (const r of regions) {
        const name = `${label}!0x${r.start.toString(16)}-0x${r.end.toString(16)}`;
        const data = this.memory.read(fd, r);
        if (typeof data === 'string') {
          failed++;
          lastError = data;
          continue;
        }
        if (r.end - r.start > this.cfg.maxRegionSize)
          this.sink.skipped({
            path: name,
            reason: `region larger than ${sizeLabel(this.cfg.maxRegionSize)}: only its start was scanned`,
          });
        const { region, start, process } = r;
        await this.expander.region(name, data, { pid, process, region, start });
      }
    } finally {
      this.memory.close(fd);
    }
    if (failed > 0) {
      const gone = typeof readableRegions(pid) === 'string';
      this.sink.skipped({
        path: label,
        reason: gone
          ? 'process exited during the scan'
          : `${failed} of ${regions.length} regions not readable (${lastError})`,
      });
    }
  }
}
