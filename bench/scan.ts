/**
 * File-scan throughput: Telltale's scanPaths (worker pool, read + SHA-256 + YARA-X + archive/carving
 * checks) against the Debian
 * `yara` 4.2 CLI (`yara -r -p N`) on the same deterministic corpus and the same rules: (a) seed 000's
 * rule, (b) the real Mirai-family rule sets both engines accept. Also splits Telltale's own cost in one
 * thread into engine (YARA-X scan) vs pipeline (walk + read + hash) time. CPU seconds are printed next to
 * wall time for both tools: this VM is shared, and CPU time is what other jobs disturb least.
 *
 * Standalone: `npx tsx bench/scan.ts --size 256` (MiB) prints a table.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  compileRules,
  digests,
  scanPaths,
  someDigests,
  walkPaths,
  type RuleSource,
} from '../src/scan/index.js';
import { initYarax } from '../src/scan/yarax.js';
import type { BenchResult, BenchRow } from './types.js';

const corpusRoot = resolve(import.meta.dirname, '.corpus');
const seedRule = resolve(import.meta.dirname, '../content/yara/mirai_tr069.yar');
const realRulesDir = resolve(import.meta.dirname, '../../shared/data/yara/rules');
const YARA = '/usr/bin/yara';
const SEED_STRINGS = [
  'Myname--is:',
  'busybox iptables -A INPUT -p tcp --destination-port 7547 -j DROP',
  'busybox iptables -A INPUT -p tcp --destination-port 5555 -j DROP',
  '/proc/net/tcp',
];

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Binary-looking bytes with runs of printable text (like a stripped ELF), seed strings if `infected`. */
function fileBytes(size: number, rand: () => number, infected: boolean): Buffer {
  const buf = Buffer.allocUnsafe(size);
  const words = new Uint32Array(buf.buffer, buf.byteOffset, size >>> 2);
  for (let i = 0; i < words.length; i++) words[i] = rand();
  for (let i = words.length * 4; i < size; i++) buf[i] = rand() & 0xff;
  for (let off = 0; off + 256 < size; off += 4096) {
    const len = 32 + (rand() % 192);
    for (let j = 0; j < len; j++) buf[off + j] = 0x20 + (rand() % 95);
  }
  if (size >= 4) buf.write('\x7fELF', 0, 'latin1');
  if (infected) {
    let off = 64;
    for (const s of SEED_STRINGS) {
      buf.write(s, Math.min(off, size - s.length), 'latin1');
      off += Math.floor(size / 5);
    }
  }
  return buf;
}

/** bench/.corpus/scan-<N>MiB/: ~12% of the bytes as many small files (1–128 KiB), the rest 8–32 MiB files. */
export function ensureCorpus(sizeMiB: number): string {
  const dir = join(corpusRoot, `scan-${sizeMiB}MiB`);
  const done = join(dir, '.complete');
  if (existsSync(done)) return dir;
  const rand = prng(0x7e11 + sizeMiB);
  const total = sizeMiB * 1024 * 1024;
  let written = 0;
  let smallBytes = 0;
  for (let i = 0; smallBytes < total * 0.12; i++) {
    const sub = join(dir, 'small', String(i % 16).padStart(2, '0'));
    mkdirSync(sub, { recursive: true });
    const size = 1024 + (rand() % (127 * 1024));
    writeFileSync(join(sub, `f${String(i).padStart(5, '0')}.bin`), fileBytes(size, rand, i % 50 === 7));
    smallBytes += size;
  }
  written += smallBytes;
  mkdirSync(join(dir, 'large'), { recursive: true });
  for (let i = 0; written < total; i++) {
    const size = Math.min(total - written, (8 + (rand() % 25)) * 1024 * 1024);
    writeFileSync(join(dir, 'large', `g${String(i).padStart(3, '0')}.bin`), fileBytes(size, rand, i === 1));
    written += size;
  }
  writeFileSync(done, '');
  return dir;
}

/** Rule files both engines compile: YARA-X via compileRules, yara 4.2 via a scan of /dev/null. */
function commonRealRules(): string[] | undefined {
  if (!existsSync(realRulesDir)) return undefined;
  initYarax();
  const files = readdirSync(realRulesDir)
    .filter((f) => f.endsWith('.yar'))
    .sort()
    .map((f) => join(realRulesDir, f));
  return files.filter((file) => {
    const src: RuleSource = { file, namespace: 'n', text: readFileSync(file, 'utf8') };
    const compiled = compileRules([src]);
    compiled.rules.free();
    return compiled.errors.length === 0 && spawnSync(YARA, [file, '/dev/null']).status === 0;
  });
}

/** Best of two runs: this shared VM is noisy. */
function best<T extends { seconds: number }>(run: () => T): T {
  const a = run();
  const b = run();
  return a.seconds <= b.seconds ? a : b;
}

async function timeTelltale(
  paths: string[],
  rules: string[],
): Promise<{ seconds: number; cpu: number; hits: number; ruleCount: number }> {
  await scanPaths(paths, { rules }); // warm-up: page cache, JIT
  let seconds = Infinity;
  let cpu = Infinity;
  let hits = 0;
  let ruleCount = 0;
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    const c = process.cpuUsage(); // all threads of this process: the workers included
    const report = await scanPaths(paths, { rules });
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
    const used = process.cpuUsage(c);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6);
    // Top-level files only, as yara counts them (carved or archive members would add objects).
    hits = report.files.filter((f) => f.kind === 'file').reduce((n, f) => n + f.matches.length, 0);
    ruleCount = report.ruleCount;
  }
  return { seconds, cpu, hits, ruleCount };
}

function timeYara(
  rules: string[],
  dir: string,
  threads: number,
): { seconds: number; cpu: number; hits: number } {
  // One namespace per file (`ns:file`), as Telltale does, so a rule name may repeat across files.
  const args = ['-r', '-p', String(threads), ...rules.map((r, i) => `n${i}:${r}`), dir];
  // bash's `times` prints the children's user and system CPU time on its second line.
  const script = `"$0" "$@" > "$TELLTALE_BENCH_OUT"; times`;
  const outFile = join(corpusRoot, 'yara-out.txt');
  const t = performance.now();
  const times = execFileSync('bash', ['-c', script, YARA, ...args], {
    env: { ...process.env, TELLTALE_BENCH_OUT: outFile },
  }).toString();
  const seconds = (performance.now() - t) / 1000;
  const [user, sys] = (times.trim().split('\n')[1] ?? '').split(/\s+/).map(minSec);
  const hits = readFileSync(outFile, 'utf8').split('\n').filter(Boolean).length;
  return { seconds, cpu: user + sys, hits };
}

/** bash `times` format: 0m1.234s. */
function minSec(v: string | undefined): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(v ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

/**
 * One thread, in process: walk + read + digests vs YARA-X scan time over the same bytes. `pipeline` is
 * what scanPaths does by default (SHA-256 only), `allHashes` with MD5 and SHA-1 too.
 */
async function pipelineSplit(
  dir: string,
  sources: RuleSource[],
): Promise<{ engine: number; pipeline: number; allHashes: number }> {
  initYarax();
  const compiled = compileRules(sources);
  const scanner = compiled.rules.scanner();
  let engine = 0;
  let pipeline = 0;
  let extra = 0;
  try {
    scanner.scan(new Uint8Array(64 * 1024 * 1024)); // grow wasm memory once, as a worker does
    const w = performance.now();
    const { files } = await walkPaths([dir]);
    pipeline += performance.now() - w;
    for (const file of files) {
      const t0 = performance.now();
      const data = readFileSync(file);
      someDigests(data, ['sha256']);
      const t1 = performance.now();
      scanner.scan(data);
      const t2 = performance.now();
      digests(data);
      extra += performance.now() - t2;
      engine += t2 - t1;
      pipeline += t1 - t0;
    }
  } finally {
    scanner.free();
    compiled.rules.free();
  }
  return { engine: engine / 1000, pipeline: pipeline / 1000, allHashes: (pipeline + extra) / 1000 };
}

export async function benchScan(opts: { sizeMiB: number }): Promise<BenchResult> {
  const dir = ensureCorpus(opts.sizeMiB);
  const { files: list } = await walkPaths([dir]);
  const bytes = list.reduce((n, f) => n + statSync(f).size, 0);
  const files = list.length;
  const rows: BenchRow[] = [];
  const ratios: Record<string, number> = {};
  const sets: { name: string; rules: string[] }[] = [{ name: 'seed rule', rules: [seedRule] }];
  const real = commonRealRules();
  if (real) sets.push({ name: `real rules (${real.length} files)`, rules: real });
  else console.error(`bench scan: ${realRulesDir} absent, skipping the real rule sets`);

  for (const set of sets) {
    // The bundled pack is the seed rule, so set (a) is the defaults and (b) adds the real files on top;
    // yara gets the same files.
    const extra = set.rules === sets[0].rules ? [] : set.rules;
    const yaraRules = set.rules === sets[0].rules ? set.rules : [seedRule, ...set.rules];
    const t = await timeTelltale([dir], extra);
    const y2 = best(() => timeYara(yaraRules, dir, 2));
    const y1 = best(() => timeYara(yaraRules, dir, 1));
    if (y2.hits !== t.hits)
      console.error(`bench scan: ${set.name}: telltale ${t.hits} matches, yara ${y2.hits}`);
    rows.push({
      label: `telltale scanPaths, ${set.name}, ${t.ruleCount} rules (cpu ${t.cpu.toFixed(2)} s)`,
      seconds: t.seconds,
      files,
      bytes,
    });
    rows.push({
      label: `yara 4.2 -p 2, ${set.name} (cpu ${y2.cpu.toFixed(2)} s)`,
      seconds: y2.seconds,
      files,
      bytes,
    });
    rows.push({
      label: `yara 4.2 -p 1, ${set.name} (cpu ${y1.cpu.toFixed(2)} s)`,
      seconds: y1.seconds,
      files,
      bytes,
    });
    ratios[`telltale/yara -p 2 throughput, ${set.name}`] = y2.seconds / t.seconds;
    ratios[`telltale/yara -p 2 CPU efficiency (yara cpu / telltale cpu), ${set.name}`] = y2.cpu / t.cpu;
  }

  // The large files alone: YARA-X's fixed cost per scan (~4-5 ms in the wasm build) weighs little here.
  const large = join(dir, 'large');
  const { files: largeList } = await walkPaths([large]);
  const largeBytes = largeList.reduce((n, f) => n + statSync(f).size, 0);
  const tl = await timeTelltale([large], []);
  const yl = best(() => timeYara([seedRule], large, 2));
  rows.push({
    label: 'telltale scanPaths, seed rule, large files only',
    seconds: tl.seconds,
    files: largeList.length,
    bytes: largeBytes,
  });
  rows.push({
    label: 'yara 4.2 -p 2, seed rule, large files only',
    seconds: yl.seconds,
    files: largeList.length,
    bytes: largeBytes,
  });
  ratios['telltale/yara -p 2 throughput, seed rule, large files only'] = yl.seconds / tl.seconds;

  const sources = [{ file: seedRule, namespace: 'seed', text: readFileSync(seedRule, 'utf8') }];
  const split = await pipelineSplit(dir, sources);
  rows.push({ label: 'one thread: YARA-X engine only (seed rule)', seconds: split.engine, files, bytes });
  rows.push({ label: 'one thread: walk + read + sha256 (default)', seconds: split.pipeline, files, bytes });
  rows.push({ label: 'one thread: walk + read + md5/sha1/sha256', seconds: split.allHashes, files, bytes });
  ratios['pipeline overhead / engine time, sha256 only (target ≤ 0.30)'] = split.pipeline / split.engine;
  ratios['pipeline overhead / engine time, all three digests'] = split.allHashes / split.engine;
  return { name: `scan (${(bytes / 1048576).toFixed(0)} MiB, ${files} files)`, rows, ratios };
}

function printTable(r: BenchResult): void {
  console.log(`\n## ${r.name}`);
  console.log('| run | s | files/s | MiB/s |\n|---|---:|---:|---:|');
  for (const row of r.rows) {
    const mibs = row.bytes / 1048576 / row.seconds;
    console.log(
      `| ${row.label} | ${row.seconds.toFixed(2)} | ${(row.files / row.seconds).toFixed(0)} | ${mibs.toFixed(0)} |`,
    );
  }
  for (const [k, v] of Object.entries(r.ratios)) console.log(`- ${k}: ${v.toFixed(2)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--size');
  printTable(await benchScan({ sizeMiB: i > 0 ? Number(process.argv[i + 1]) : 256 }));
}
