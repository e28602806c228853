/**
 * What a synth child process measures and prints. Children are plain Node processes (esbuild-compiled, no ts-node)
 * so that ours and the raw baseline pay the same start-up, and each one's peak RSS is its own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';

export interface SynthChildReport {
  readonly mode: string;
  readonly pipelines: number | null;
  /** From process start to the end of requiring ROS CDK and our modules. */
  readonly loadMs: number;
  /** Building the construct tree and `app.synth()`: the part that grows with the app. */
  readonly constructAndSynthMs: number;
  /** From process start to synth done (what `npm run synth` costs, minus npm). */
  readonly totalMs: number;
  /** process.resourceUsage().maxRSS, in KiB. */
  readonly maxRssKiB: number;
  readonly templateBytes: number;
  readonly resources: number;
  readonly resourceTypes: Record<string, number>;
  /** Length of every ALIYUN::FC::Function Code.ZipFile string (base64), when the template has one. */
  readonly zipFileBase64Bytes: number[];
}

/** The stack template a synth wrote, plus its size on disk (what ROS receives as TemplateBody). */
export function readTemplate(assemblyDir: string): { template: any; bytes: number; file: string } {
  const files = fs.readdirSync(assemblyDir).filter((f) => f.endsWith('.template.json'));
  if (files.length !== 1) {
    throw new Error(`expected exactly one *.template.json in ${assemblyDir}, got ${files.length}: ${files.join(', ')}`);
  }
  const file = path.join(assemblyDir, files[0]);
  const text = fs.readFileSync(file);
  return { template: JSON.parse(text.toString('utf8')), bytes: text.length, file };
}

export function describeTemplate(template: any): Pick<SynthChildReport, 'resources' | 'resourceTypes' | 'zipFileBase64Bytes'> {
  const resources = Object.values<any>(template.Resources ?? {});
  const resourceTypes: Record<string, number> = {};
  const zipFileBase64Bytes: number[] = [];
  for (const r of resources) {
    resourceTypes[r.Type] = (resourceTypes[r.Type] ?? 0) + 1;
    const zip = r.Type === 'ALIYUN::FC::Function' ? r.Properties?.Code?.ZipFile : undefined;
    if (typeof zip === 'string') zipFileBase64Bytes.push(zip.length);
  }
  return { resources: resources.length, resourceTypes, zipFileBase64Bytes };
}

/**
 * Runs one measured synth: `load` requires the modules, `build` creates the app and synthesizes it into `outdir`.
 * Prints one JSON line (the report) on stdout.
 */
export function measure(mode: string, pipelines: number | null, outdir: string, load: () => void, build: () => void): void {
  load();
  const loaded = performance.now();
  build();
  const done = performance.now();
  const { template, bytes } = readTemplate(outdir);
  const report: SynthChildReport = {
    mode,
    pipelines,
    loadMs: loaded,
    constructAndSynthMs: done - loaded,
    totalMs: done,
    maxRssKiB: process.resourceUsage().maxRSS,
    templateBytes: bytes,
    ...describeTemplate(template),
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

export function parseArgs(argv: readonly string[]): { mode: string; pipelines: number | null; outdir: string } {
  const [mode, n, outdir] = argv;
  if (!mode || !outdir) throw new Error(`usage: <mode> <pipelines|-> <outdir>, got ${JSON.stringify(argv)}`);
  const pipelines = n === '-' ? null : Number(n);
  if (pipelines !== null && !(Number.isInteger(pipelines) && pipelines >= 1)) {
    throw new Error(`pipelines must be a positive integer, got ${n}`);
  }
  return { mode, pipelines, outdir };
}
