/**
 * Figure 4, synth: the example stack and apps of 10 and 100 pipelines (MediaPipeline + NotificationQueue each),
 * each synthesized in a fresh child process, beside the same resources written as raw `ros.RosResource` L1s.
 * Also yields the example template's bytes and the size of the embedded ZipFile for figure 3.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileEntry, runNode, lastJsonLine } from './child';
import type { SynthChildReport } from './synth-common';
import { summarize, Summary } from './stats';

export interface SynthSide {
  readonly constructAndSynthMs: Summary;
  readonly totalMs: Summary;
  readonly spawnMs: Summary;
  readonly maxRssKiB: Summary;
  readonly templateBytes: number;
  readonly resources: number;
  readonly resourceTypes: Record<string, number>;
  readonly zipFileBase64Bytes: number[];
}

export interface SynthComparison {
  readonly name: string;
  readonly pipelines: number | null;
  readonly ours: SynthSide;
  readonly raw: SynthSide;
  /** Medians: ours / raw. */
  readonly timeRatio: number;
  readonly memoryRatio: number;
  /** Whether both sides synthesized the same resource types in the same numbers. */
  readonly sameResources: boolean;
}

function side(reports: SynthChildReport[], spawnMs: number[]): SynthSide {
  const last = reports[reports.length - 1];
  return {
    constructAndSynthMs: summarize(reports.map((r) => r.constructAndSynthMs)),
    totalMs: summarize(reports.map((r) => r.totalMs)),
    spawnMs: summarize(spawnMs),
    maxRssKiB: summarize(reports.map((r) => r.maxRssKiB)),
    templateBytes: last.templateBytes,
    resources: last.resources,
    resourceTypes: last.resourceTypes,
    zipFileBase64Bytes: last.zipFileBase64Bytes,
  };
}

function sameTypes(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

async function child(js: string, args: string[], outdir: string, what: string): Promise<{ report: SynthChildReport; wallMs: number }> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const r = await runNode([js, ...args.map((a) => (a === '$OUT' ? outdir : a))]);
  return { report: lastJsonLine<SynthChildReport>(r, what), wallMs: r.wallMs };
}

/**
 * Runs ours and the baseline alternately `runs` times. `oursArgs`/`rawArgs` may name the outdir as `$OUT`.
 * `afterFirstOurs` lets the caller prepare the baseline from our first output (the example's replay).
 */
async function compare(
  name: string,
  pipelines: number | null,
  runs: number,
  scratch: string,
  ours: { js: string; args: string[] },
  raw: { js: string; args: string[] },
  afterFirstOurs?: (outdir: string) => void,
): Promise<SynthComparison> {
  const o: SynthChildReport[] = [];
  const oSpawn: number[] = [];
  const r: SynthChildReport[] = [];
  const rSpawn: number[] = [];
  const oursOut = path.join(scratch, `${name}-ours`);
  const rawOut = path.join(scratch, `${name}-raw`);
  for (let i = 0; i < runs; i++) {
    const a = await child(ours.js, ours.args, oursOut, `synth ${name} (ours)`);
    o.push(a.report);
    oSpawn.push(a.wallMs);
    if (i === 0 && afterFirstOurs) afterFirstOurs(oursOut);
    const b = await child(raw.js, raw.args, rawOut, `synth ${name} (raw L1)`);
    r.push(b.report);
    rSpawn.push(b.wallMs);
  }
  const oursSide = side(o, oSpawn);
  const rawSide = side(r, rSpawn);
  return {
    name,
    pipelines,
    ours: oursSide,
    raw: rawSide,
    timeRatio: oursSide.constructAndSynthMs.median / rawSide.constructAndSynthMs.median,
    memoryRatio: oursSide.maxRssKiB.median / rawSide.maxRssKiB.median,
    sameResources: sameTypes(oursSide.resourceTypes, rawSide.resourceTypes),
  };
}

export interface SynthFigures {
  readonly example?: SynthComparison;
  readonly pipelines: SynthComparison[];
  readonly errors: string[];
}

export async function measureSynth(sizes: readonly number[], runs: number, scratch: string): Promise<SynthFigures> {
  const errors: string[] = [];
  fs.mkdirSync(scratch, { recursive: true });
  const rawJs = compileEntry('synth-raw.ts');
  const tryCompile = (entry: string): string | undefined => {
    try {
      return compileEntry(entry);
    } catch (err) {
      errors.push(`${entry} does not compile (a piece it imports is missing or broken): ${(err as Error).message.replace(/\s+/g, ' ')}`);
      return undefined;
    }
  };
  const oursJs = tryCompile('synth-ours.ts');
  const exampleJs = tryCompile('synth-example.ts');
  const result: { example?: SynthComparison; pipelines: SynthComparison[] } = { pipelines: [] };

  const replaySource = path.join(scratch, 'example-source.template.json');
  try {
    if (!exampleJs) throw new Error('the example app child did not compile');
    result.example = await compare(
      'example',
      null,
      runs,
      scratch,
      { js: exampleJs, args: ['example', '-', '$OUT'] },
      { js: rawJs, args: ['replay', replaySource, '$OUT'] },
      (outdir) => {
        const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
        const template = JSON.parse(fs.readFileSync(path.join(outdir, files[0]), 'utf8'));
        template.__stackName = files[0].replace(/\.template\.json$/, '');
        fs.writeFileSync(replaySource, JSON.stringify(template));
      },
    );
  } catch (err) {
    if (exampleJs) errors.push(`example stack: ${(err as Error).message}`);
  }
  for (const n of oursJs ? sizes : []) {
    try {
      result.pipelines.push(
        await compare(
          `pipelines-${n}`,
          n,
          runs,
          scratch,
          { js: oursJs!, args: ['ours', String(n), '$OUT'] },
          { js: rawJs, args: ['raw', String(n), '$OUT'] },
        ),
      );
    } catch (err) {
      errors.push(`${n} pipelines: ${(err as Error).message}`);
    }
  }
  return { ...result, errors };
}
