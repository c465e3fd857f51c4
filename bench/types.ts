export interface BenchRow {
  label: string;
  seconds: number;
  files: number;
  bytes: number;
  events?: number;
}

export interface BenchResult {
  name: string;
  rows: BenchRow[];
  ratios: Record<string, number>;
}
