/**
 * `npm run bench`: measures the four figures of issue #6 against loopback only and writes bench/results.json and
 * bench/RESULTS.md. Flags:
 *   --quick          tiny sizes for development (writes to bench/.tmp/ instead of bench/)
 *   --only=a,b       run only some figures: submit, wait, bundle, synth, loop (the production loop, bench/loop.ts)
 * Each figure is independent: one that cannot be measured (a piece missing or broken) is reported as such and
 * the others still run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, TMP } from './child';
import { buildResults, BenchConfig, FULL, QUICK, Raw } from './figures';

const FIGURES = ['submit', 'wait', 'bundle', 'synth', 'loop'] as const;
type FigureName = (typeof FIGURES)[number];

function parseFlags(argv: readonly string[]): { quick: boolean; only: Set<FigureName> } {
  let quick = false;
  let only = new Set<FigureName>(FIGURES);
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',').filter(Boolean);
      for (const n of names) {
        if (!(FIGURES as readonly string[]).includes(n)) {
          throw new Error(`--only takes ${FIGURES.join(', ')}, got ${n}`);
        }
      }
      only = new Set(names as FigureName[]);
    } else throw new Error(`unknown flag ${arg}; flags: --quick, --only=${FIGURES.join(',')}`);
  }
  return { quick, only };
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<void> {
  const { quick, only } = parseFlags(process.argv.slice(2));
  const config: BenchConfig = quick ? QUICK : FULL;
  const started = Date.now();
  // Other processes share the machine; the load before and after tells a reader how noisy the run was.
  const loadAtStart = os.loadavg()[0];
  fs.mkdirSync(TMP, { recursive: true });
  // Outside the package: the unzipped bundle must not find our node_modules (FC has none).
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-bench-'));
  const raw: Raw = { errors: {} };
  let loop: import('./loop').LoopFigures | undefined;
  const attempt = async (name: FigureName, fn: () => Promise<void>): Promise<void> => {
    if (!only.has(name)) return;
    const t0 = Date.now();
    log(`${name}: start`);
    try {
      await fn();
      log(`${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      const message = err instanceof Error ? err.stack ?? err.message : String(err);
      raw.errors[name] = message.split('\n').slice(0, 4).join(' | ');
      log(`${name}: FAILED: ${raw.errors[name]}`);
    }
  };
  try {
    await attempt('submit', async () => {
      const { measureSubmit } = await import('./submit');
      raw.submit = await measureSubmit(config.submit, log);
    });
    await attempt('wait', async () => {
      const { measureWait } = await import('./wait');
      raw.wait = await measureWait(config.wait, log);
    });
    await attempt('synth', async () => {
      const { measureSynth } = await import('./synth');
      raw.synth = await measureSynth(config.synth.sizes, config.synth.runs, path.join(scratch, 'synth'));
      for (const e of raw.synth.errors) log(`synth: ${e}`);
    });
    await attempt('bundle', async () => {
      const { measureBundle } = await import('./bundle');
      raw.bundle = await measureBundle(config.bundle.coldInitRuns, path.join(scratch, 'bundle'));
    });
    await attempt('loop', async () => {
      const { measureLoop, LOOP_FULL, LOOP_QUICK } = await import('./loop');
      loop = await measureLoop(quick ? LOOP_QUICK : LOOP_FULL, log);
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const outDir = quick ? TMP : path.join(ROOT, 'bench');
  const suffix = quick ? '.quick' : '';
  // The loop's figures have files of their own, so `--only=loop` rewrites them and leaves the others' alone.
  if (loop) {
    fs.writeFileSync(path.join(outDir, `loop-results${suffix}.json`), JSON.stringify(loop, null, 2) + '\n');
    fs.writeFileSync(path.join(outDir, `LOOP${suffix}.md`), `# Benchmarks: the production loop\n\n${(await import('./loop')).renderLoop(loop)}`);
    log(`wrote ${path.relative(ROOT, path.join(outDir, `LOOP${suffix}.md`))}`);
  }
  if ([...only].some((f) => f !== 'loop')) {
    const { json, markdown } = buildResults(raw, { quick, only: [...only].filter((f) => f !== 'loop'), durationMs: Date.now() - started, config, loadAtStart });
    fs.writeFileSync(path.join(outDir, `results${suffix}.json`), JSON.stringify(json, null, 2) + '\n');
    fs.writeFileSync(path.join(outDir, `RESULTS${suffix}.md`), `${markdown.trimEnd()}\n\nThe production loop's figures: [LOOP.md](LOOP.md).\n`);
    log(`wrote ${path.relative(ROOT, path.join(outDir, `results${suffix}.json`))} and RESULTS${suffix}.md in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().then(
  // Loopback servers and timers are closed by each figure; exit explicitly anyway so a stray handle in a
  // dependency can never keep `npm run bench` from stopping by itself.
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
