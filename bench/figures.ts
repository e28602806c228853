/**
 * Turns the raw measurements into bench/results.json (figures with their baselines and goals) and RESULTS.md.
 */
import * as os from 'os';
import type { BundleFigures } from './bundle';
import { describeFaults } from './submit';
import type { FaultPlan, SubmitConfig, SubmitFigures, SubmitRun, SubmitAction } from './submit';
import type { SynthFigures, SynthComparison } from './synth';
import type { WaitConfig, WaitFigures } from './wait';
import { DETECTION_DELAY_GOAL_SHARE } from './wait';
import { Figure, fmt, median } from './stats';
import { renderMisses, renderTable, TableRow } from './report';

export interface BenchConfig {
  readonly submit: SubmitConfig;
  readonly wait: WaitConfig;
  readonly bundle: { readonly coldInitRuns: number };
  readonly synth: { readonly sizes: readonly number[]; readonly runs: number };
}

export const FULL: BenchConfig = {
  submit: {
    runs: 2,
    concurrency: 16,
    iproduction: { jobs: 3000, qps: 100 },
    mediaProducing: { jobs: 900, qps: 30 },
    faults: { iproductionJobs: 3000, mediaProducingJobs: 900, resetBefore: 0.03, resetAfter: 0.03, unavailable: 0.05, jitterMs: 20 },
  },
  wait: { durationsMs: [2_000, 10_000, 60_000], timeScale: 0.2, jobsPerDuration: 5, fixedPollMs: 1_000, warmupJobs: 4 },
  bundle: { coldInitRuns: 20 },
  synth: { sizes: [10, 100], runs: 5 },
};

/** For developing the harness on a shared machine: every figure, at a size that takes seconds. */
export const QUICK: BenchConfig = {
  submit: {
    runs: 1,
    concurrency: 16,
    iproduction: { jobs: 150, qps: 100 },
    mediaProducing: { jobs: 45, qps: 30 },
    faults: { iproductionJobs: 300, mediaProducingJobs: 90, resetBefore: 0.03, resetAfter: 0.03, unavailable: 0.05, jitterMs: 20 },
  },
  wait: { durationsMs: [2_000, 10_000], timeScale: 0.05, jobsPerDuration: 2, fixedPollMs: 1_000, warmupJobs: 4 },
  bundle: { coldInitRuns: 3 },
  synth: { sizes: [10], runs: 1 },
};

export interface Raw {
  submit?: SubmitFigures;
  wait?: WaitFigures;
  bundle?: BundleFigures;
  synth?: SynthFigures;
  errors: Record<string, string>;
}

export const TEMPLATE_LIMIT_BYTES = 524_288;
export const ZIP_GOAL_BYTES = 160 * 1024;
export const COLD_INIT_GOAL_MS = 100;
export const THROUGHPUT_GOAL = 0.98;
export const FAULT_THROUGHPUT_GOAL = 0.9;
export const SYNTH_TIME_GOAL = 2;
export const SYNTH_MEMORY_GOAL = 1.5;

/** One action's submit figures: ours (median fraction, totals over runs) beside the bare client's. */
function submitFigures(runs: SubmitRun[], action: SubmitAction): Record<string, Figure> | undefined {
  const ours = runs.filter((r) => r.action === action && r.side === 'ours' && !r.faulted);
  const bare = runs.filter((r) => r.action === action && r.side === 'bare' && !r.faulted);
  if (ours.length === 0) return undefined;
  const sum = (rs: SubmitRun[], f: (r: SubmitRun) => number): number => rs.reduce((n, r) => n + f(r), 0);
  const bareOr = (f: (rs: SubmitRun[]) => number): number | null => (bare.length > 0 ? f(bare) : null);
  const fraction = median(ours.map((r) => r.achievedFraction));
  const throttles = sum(ours, (r) => r.throttlesSurfaced);
  const duplicates = sum(ours, (r) => Math.max(r.accounting.duplicates, r.endpointDuplicates));
  const lost = sum(ours, (r) => r.accounting.lost);
  const n = ours.length;
  const limit = ours[0].limitQps;
  const state = ours[0].limiter;
  const stateText = state
    ? `the limiter ended run 1 at rate ${fmt(state.rate, 1)}/s, margin ${fmt(state.marginMs, 0)} ms, ${state.throttles} throttle(s) seen, ${state.rateCuts} rate cut(s), ${state.refunded} slot(s) refunded`
    : 'the client paces submits to the service window';
  return {
    achievedFraction: {
      value: fraction,
      baseline: bareOr((rs) => median(rs.map((r) => r.achievedFraction))),
      goal: `≥ ${THROUGHPUT_GOAL} of ${limit} QPS`,
      met: fraction >= THROUGHPUT_GOAL,
      note:
        fraction >= THROUGHPUT_GOAL
          ? undefined
          : `median over ${n} runs is ${fmt(fraction, 3)} of the limit; ${stateText}. The schedule sends one window's allowance per 1000 ms + margin, so the margin (widened by throttles) and the run's start and end (a partly used first and last window) are what remains; on a loaded machine event-loop stalls delay grants too`,
    },
    throttlesSurfaced: {
      value: throttles,
      baseline: bareOr((rs) => sum(rs, (r) => r.throttlesSurfaced)),
      goal: `0 (total over ${n} runs)`,
      met: throttles === 0,
      note: throttles === 0 ? undefined : 'throttling errors reached the caller after the client gave up retrying',
    },
    duplicates: {
      value: duplicates,
      baseline: bareOr((rs) => sum(rs, (r) => Math.max(r.accounting.duplicates, r.endpointDuplicates))),
      goal: `0 (total over ${n} runs)`,
      met: duplicates === 0,
      note: duplicates === 0 ? undefined : 'the endpoint holds more than one job for one intended submit',
    },
    lost: {
      value: lost,
      baseline: bareOr((rs) => sum(rs, (r) => r.accounting.lost)),
      goal: `0 (total over ${n} runs)`,
      met: lost === 0,
      note: lost === 0 ? undefined : 'submits ended without a JobId and without a job at the endpoint',
    },
  };
}

/** The faulted run of one action: throughput (goal 0.90), throttles surfaced, lost and duplicates (goal 0 each), orphans reported. */
function faultFigures(runs: SubmitRun[], action: SubmitAction, faults: FaultPlan): Record<string, Figure> | undefined {
  const ours = runs.find((r) => r.action === action && r.side === 'ours' && r.faulted);
  const bare = runs.find((r) => r.action === action && r.side === 'bare' && r.faulted);
  if (!ours) return undefined;
  const pct = `under ${describeFaults(faults)}`;
  const s = ours.limiter;
  const stateText = s
    ? `the limiter saw ${s.throttles} throttle(s) (${s.rateCuts} rate cut(s)), refunded ${s.refunded} slot(s), ended at margin ${fmt(s.marginMs, 0)} ms`
    : '';
  const fraction = ours.achievedFraction;
  const dup = Math.max(ours.accounting.duplicates, ours.endpointDuplicates);
  return {
    achievedFraction: {
      value: fraction,
      baseline: bare ? bare.achievedFraction : null,
      goal: `≥ ${FAULT_THROUGHPUT_GOAL} of ${ours.limitQps} QPS`,
      met: fraction >= FAULT_THROUGHPUT_GOAL,
      note:
        fraction >= FAULT_THROUGHPUT_GOAL
          ? `${pct}; ${stateText}`
          : `${pct}: ${fmt(fraction, 3)} of the limit; ${stateText}. Resets are counted as spent (the client cannot tell a reset before processing from one after), and for SubmitMediaProducingJob each resend after a reset is an idempotent replay the service counts but that creates no job`,
    },
    throttlesSurfaced: {
      value: ours.throttlesSurfaced,
      baseline: bare ? bare.throttlesSurfaced : null,
      goal: '0',
      met: ours.throttlesSurfaced === 0,
      note: ours.throttlesSurfaced === 0 ? undefined : `${pct}: throttling reached the caller after the client gave up retrying`,
    },
    lost: {
      value: ours.accounting.lost,
      baseline: bare ? bare.accounting.lost : null,
      goal: '0',
      met: ours.accounting.lost === 0,
      note:
        ours.accounting.lost === 0
          ? pct
          : `${pct}: ${ours.accounting.lost} submit(s) ended with no JobId and no job at the endpoint; ${ours.accounting.lostWithUnknownOutcome} of them reached the caller as UnknownOutcomeError carrying the request (a reset the client cannot tell from one after the job was created; SubmitIProductionJob has no ClientToken, so resending could duplicate)`,
    },
    duplicates: {
      value: dup,
      baseline: bare ? Math.max(bare.accounting.duplicates, bare.endpointDuplicates) : null,
      goal: '0',
      met: dup === 0,
      note: dup === 0 ? pct : `${pct}: a resent submit created a second job`,
    },
    orphaned: {
      value: ours.accounting.orphaned,
      baseline: bare ? bare.accounting.orphaned : null,
      goal: 'reported (caller holds an UnknownOutcomeError with the request; the job exists)',
      met: null,
    },
    delivered: {
      value: ours.accounting.delivered,
      baseline: bare ? bare.accounting.delivered : null,
      goal: `reported (of ${ours.accounting.intended})`,
      met: null,
    },
  };
}

function synthFigure(c: SynthComparison | undefined, kind: 'time' | 'memory'): Figure | undefined {
  if (!c) return undefined;
  if (kind === 'time') {
    const ok = c.timeRatio <= SYNTH_TIME_GOAL;
    return {
      value: c.timeRatio,
      baseline: 1,
      goal: `≤ ${SYNTH_TIME_GOAL}× raw L1`,
      met: ok,
      unit: '×',
      note: ok
        ? undefined
        : `construct+synth ${fmt(c.ours.constructAndSynthMs.median, 0)} ms vs ${fmt(c.raw.constructAndSynthMs.median, 0)} ms raw: validation, naming and grant rendering cost more than twice the bare L1s`,
    };
  }
  const ok = c.memoryRatio <= SYNTH_MEMORY_GOAL;
  return {
    value: c.memoryRatio,
    baseline: 1,
    goal: `≤ ${SYNTH_MEMORY_GOAL}× raw L1`,
    met: ok,
    unit: '×',
    note: ok ? undefined : `peak RSS ${fmt(c.ours.maxRssKiB.median / 1024, 1)} MiB vs ${fmt(c.raw.maxRssKiB.median / 1024, 1)} MiB raw`,
  };
}

export function buildResults(
  raw: Raw,
  meta: { quick: boolean; only: string[]; durationMs: number; config: BenchConfig; loadAtStart: number },
): { json: any; markdown: string } {
  const cpus = os.cpus();
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemMiB: Math.round(os.totalmem() / 1024 / 1024),
    loadAverage1mAtStart: meta.loadAtStart,
    loadAverage1mAtEnd: os.loadavg()[0],
  };

  // Submit.
  const ice = raw.submit ? submitFigures(raw.submit.runs, 'SubmitIProductionJob') : undefined;
  const mp = raw.submit ? submitFigures(raw.submit.runs, 'SubmitMediaProducingJob') : undefined;
  const iceFaults = raw.submit ? faultFigures(raw.submit.runs, 'SubmitIProductionJob', raw.submit.faults) : undefined;
  const mpFaults = raw.submit ? faultFigures(raw.submit.runs, 'SubmitMediaProducingJob', raw.submit.faults) : undefined;

  // Wait: the goal holds when every case of ours stays within the bound.
  let waitFigure: Figure | undefined;
  const waitRows: TableRow[] = [];
  if (raw.wait) {
    for (const c of raw.wait.cases.filter((c) => c.method === 'ours')) {
      const fixed = raw.wait.cases.find((b) => b.method === 'fixedPoll' && b.durationMs === c.durationMs);
      const notified = raw.wait.cases.find((b) => b.method === 'notification' && b.durationMs === c.durationMs);
      const T = c.durationMs / 1000;
      waitRows.push({
        figure: `queries per job, T = ${T} s (max over jobs)`,
        fig: {
          value: c.queries.max,
          baseline: fixed ? fixed.queries.max : null,
          goal: `≤ ${c.bound} (1 + ⌈log2(T / ${raw.wait.firstDelayMs / 1000} s)⌉)`,
          met: c.withinBound,
          note: c.withinBound
            ? undefined
            : `waitForIProductionJob made ${c.queries.max} queries for a job of ${T} s (median ${fmt(c.queries.median, 1)}); with queries at d, 2d, 4d… (d = ${raw.wait.firstDelayMs / 1000} s) it would make ${c.bound} — an extra query comes from querying before the first pause or from the schedule slipping past the job's end`,
        },
        digits: 0,
      });
      const first = raw.wait.cases.find((b) => b.method === 'oursFirst' && b.durationMs === c.durationMs);
      const goalMs = c.durationMs * DETECTION_DELAY_GOAL_SHARE;
      const delayMet = c.detectionDelayMs.median < goalMs;
      waitRows.push({
        figure: `detection delay, T = ${T} s (median, after ${raw.wait.warmupJobs} jobs of the function were learned)`,
        fig: {
          value: c.detectionDelayMs.median,
          baseline: fixed ? fixed.detectionDelayMs.median : null,
          goal: `< ${fmt(DETECTION_DELAY_GOAL_SHARE * 100, 0)} % of T (${fmt(goalMs, 0)} ms)`,
          met: delayMet,
          unit: 'ms',
          note:
            (first ? `the first wait on the function (nothing learned) took ${fmt(first.detectionDelayMs.median, 0)} ms with ${first.queries.max} queries` : '') +
            (delayMet ? '' : `; the learned schedule missed: the history's bracket for this function is still wide, or the machine's load delayed the queries`),
        },
        digits: 0,
      });
      if (notified) {
        waitRows.push({
          figure: `with notification, T = ${T} s: queries / delay`,
          fig: {
            value: notified.queries.max,
            baseline: null,
            goal: '1 query after the notification',
            met: notified.queries.max <= 1,
            note: `median delay ${fmt(notified.detectionDelayMs.median, 0)} ms after completion (MNS delivery latency not modelled)`,
          },
          digits: 0,
        });
      }
    }
    const ours = raw.wait.cases.filter((c) => c.method === 'ours' || c.method === 'oursFirst');
    const worst = ours.reduce((a, b) => (b.queries.max / b.bound > a.queries.max / a.bound ? b : a), ours[0]);
    if (worst) {
      waitFigure = {
        value: worst.queries.max,
        baseline: raw.wait.cases.find((b) => b.method === 'fixedPoll' && b.durationMs === worst.durationMs)?.queries.max ?? null,
        goal: `≤ 1 + ⌈log2(T / first delay)⌉ = ${worst.bound} at T = ${worst.durationMs / 1000} s (the tightest case)`,
        met: ours.every((c) => c.withinBound),
        note: ours.every((c) => c.withinBound) ? undefined : waitRows.find((r) => r.fig?.met === false)?.fig?.note,
      };
    }
  }

  // Bundle.
  const example = raw.synth?.example;
  const zipB64 = example?.ours.zipFileBase64Bytes[0];
  const templateBytes = example?.ours.templateBytes;
  const bundle = raw.bundle;
  const zipFigure: Figure | undefined = bundle && {
    value: bundle.zipBytes,
    // The same runtime unbundled: the SDK's dependency closure shipped as node_modules.
    baseline: bundle.nodeModulesZip.bytes,
    goal: `≤ ${ZIP_GOAL_BYTES.toLocaleString('en-US')} B (160 KB)`,
    met: bundle.zipBytes <= ZIP_GOAL_BYTES,
    unit: 'B',
    note: bundle.zipBytes <= ZIP_GOAL_BYTES ? undefined : 'the bundled SDK and its dependencies exceed the budget',
  };
  const templateFigure: Figure | undefined =
    templateBytes === undefined
      ? undefined
      : {
          value: templateBytes,
          // The same template with the code referenced from OSS instead of inlined: what the inline zip costs.
          baseline: zipB64 !== undefined ? templateBytes - zipB64 : null,
          goal: `≤ ${(TEMPLATE_LIMIT_BYTES / 2).toLocaleString('en-US')} B (half of ${TEMPLATE_LIMIT_BYTES.toLocaleString('en-US')})`,
          met: templateBytes <= TEMPLATE_LIMIT_BYTES / 2,
          unit: 'B',
          note: templateBytes <= TEMPLATE_LIMIT_BYTES / 2 ? undefined : 'the inline base64 ZipFile dominates the template',
        };
  const coldFigure: Figure | undefined = bundle && {
    value: bundle.coldInit.initMs.median,
    baseline: bundle.emptyColdInit.initMs.median,
    goal: `≤ ${COLD_INIT_GOAL_MS} ms`,
    met: bundle.coldInit.initMs.median <= COLD_INIT_GOAL_MS,
    unit: 'ms',
    note: bundle.coldInit.initMs.median <= COLD_INIT_GOAL_MS ? undefined : 'requiring the bundle (SDK included) takes longer than the budget',
  };
  const spawnFigure: Figure | undefined = bundle && {
    value: bundle.coldInit.spawnMs.median,
    baseline: bundle.emptyColdInit.spawnMs.median,
    goal: 'reported',
    met: null,
    unit: 'ms',
  };

  // Synth.
  const p100 = raw.synth?.pipelines.find((c) => c.pipelines === 100) ?? raw.synth?.pipelines[raw.synth.pipelines.length - 1];
  const p10 = raw.synth?.pipelines.find((c) => c.pipelines === 10);
  const ratioFigure = synthFigure(p100, 'time');
  const memoryFigure = synthFigure(p100, 'memory');
  const growth =
    p10 && p100 && p10 !== p100
      ? {
          ours: p100.ours.constructAndSynthMs.median / p10.ours.constructAndSynthMs.median,
          raw: p100.raw.constructAndSynthMs.median / p10.raw.constructAndSynthMs.median,
        }
      : undefined;

  const json = {
    schema: 1,
    date: new Date().toISOString(),
    quick: meta.quick,
    figuresRun: meta.only,
    durationMs: meta.durationMs,
    machine,
    config: meta.config,
    submit: ice && {
      ...ice,
      concurrency: raw.submit!.concurrency,
      mediaProducing: mp && { ...mp, underFaults: mpFaults },
      underFaults: iceFaults,
      faults: raw.submit!.faults,
      runs: raw.submit!.runs,
    },
    wait: raw.wait && { queriesPerJob: waitFigure, ...raw.wait },
    bundle: bundle && {
      zipBytes: zipFigure,
      templateBytes: templateFigure,
      zipFileBase64Bytes: zipB64 ?? null,
      coldInitMs: coldFigure,
      coldInitSpawnMs: spawnFigure,
      indexJsBytes: bundle.indexJsBytes,
      coldInit: bundle.coldInit,
      emptyColdInit: bundle.emptyColdInit,
    },
    synth: raw.synth && {
      ratioVsRawL1: ratioFigure,
      memoryRatioVsRawL1: memoryFigure,
      growth10to100: growth ?? null,
      example: raw.synth.example,
      pipelines: raw.synth.pipelines,
      errors: raw.synth.errors,
    },
    errors: raw.errors,
  };

  const rows: TableRow[] = [
    { figure: 'SubmitIProductionJob: accepted/s as a fraction of 100 QPS (median)', fig: ice?.achievedFraction, digits: 3 },
    { figure: 'SubmitIProductionJob: throttling errors surfaced', fig: ice?.throttlesSurfaced, digits: 0 },
    { figure: 'SubmitIProductionJob: duplicates', fig: ice?.duplicates, digits: 0 },
    { figure: 'SubmitIProductionJob: lost', fig: ice?.lost, digits: 0 },
    { figure: 'SubmitMediaProducingJob: accepted/s as a fraction of 30 QPS (median)', fig: mp?.achievedFraction, digits: 3 },
    { figure: 'SubmitMediaProducingJob: throttling errors surfaced', fig: mp?.throttlesSurfaced, digits: 0 },
    { figure: 'SubmitMediaProducingJob: duplicates', fig: mp?.duplicates, digits: 0 },
    { figure: 'SubmitMediaProducingJob: lost', fig: mp?.lost, digits: 0 },
    { figure: 'SubmitIProductionJob under faults: accepted/s as a fraction of 100 QPS', fig: iceFaults?.achievedFraction, digits: 3 },
    { figure: 'SubmitIProductionJob under faults: throttling errors surfaced', fig: iceFaults?.throttlesSurfaced, digits: 0 },
    { figure: 'SubmitIProductionJob under faults: lost', fig: iceFaults?.lost, digits: 0 },
    { figure: 'SubmitIProductionJob under faults: duplicates', fig: iceFaults?.duplicates, digits: 0 },
    { figure: 'SubmitIProductionJob under faults: orphaned (outcome unknown, job exists)', fig: iceFaults?.orphaned, digits: 0 },
    { figure: 'SubmitMediaProducingJob under faults: accepted/s as a fraction of 30 QPS', fig: mpFaults?.achievedFraction, digits: 3 },
    { figure: 'SubmitMediaProducingJob under faults: throttling errors surfaced', fig: mpFaults?.throttlesSurfaced, digits: 0 },
    { figure: 'SubmitMediaProducingJob under faults: lost', fig: mpFaults?.lost, digits: 0 },
    { figure: 'SubmitMediaProducingJob under faults: duplicates', fig: mpFaults?.duplicates, digits: 0 },
    { figure: 'SubmitMediaProducingJob under faults: orphaned (outcome unknown, job exists)', fig: mpFaults?.orphaned, digits: 0 },
    ...waitRows,
    { figure: 'runtime.zip (baseline: SDK shipped as node_modules, zipped)', fig: zipFigure, digits: 0 },
    { figure: 'example template (baseline: without the inline ZipFile)', fig: templateFigure, digits: 0 },
    { figure: 'handler cold init, in-process require (median of runs)', fig: coldFigure, digits: 2 },
    { figure: 'handler cold start, whole spawn (median)', fig: spawnFigure, digits: 0 },
    { figure: 'synth time, 100 pipelines: ours / raw L1 (construct + synth)', fig: ratioFigure, digits: 2 },
    { figure: 'synth peak RSS, 100 pipelines: ours / raw L1', fig: memoryFigure, digits: 2 },
  ];
  const markdown = renderMarkdown(json, rows, raw);
  return { json, markdown };
}

function renderMarkdown(json: any, rows: TableRow[], raw: Raw): string {
  const m = json.machine;
  const lines: string[] = [];
  lines.push('# Benchmark results', '');
  lines.push(
    `Run ${json.date} on Node ${m.node}, ${m.cpus} CPU(s) (${m.cpuModel}), ${m.totalMemMiB} MiB RAM, 1-min load average ${fmt(m.loadAverage1mAtStart, 2)} at the start and ${fmt(m.loadAverage1mAtEnd, 2)} at the end; ` +
      `${json.quick ? '**quick mode (tiny sizes, not the reference run)**' : 'full run'} in ${fmt(json.durationMs / 1000, 0)} s. ` +
      'Everything runs against 127.0.0.1. Produced by `npm run bench`; the method is in docs/bench.md.',
    '',
  );
  lines.push(renderTable(rows), '');
  const misses = renderMisses(rows);
  if (misses.length > 0) lines.push('## What holds figures back', '', ...misses, '');
  const errors = Object.entries(raw.errors);
  if (errors.length > 0) {
    lines.push('## Figures that could not be measured', '');
    for (const [k, v] of errors) lines.push(`- ${k}: ${v}`);
    lines.push('');
  }

  if (raw.submit) {
    lines.push('## Submit runs', '', '| action | client | run | accepted | elapsed | fraction of limit | throttles surfaced | endpoint throttled | lost | orphaned | duplicates | other errors |', '|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of raw.submit.runs) {
      const other = Object.entries(r.otherErrors).map(([k, v]) => `${k}: ${v}`).join(', ') || '–';
      lines.push(
        `| ${r.action} | ${r.side} | ${r.faulted ? 'faults' : r.run} | ${r.accepted}/${r.accounting.intended} | ${fmt(r.elapsedMs / 1000, 1)} s | ${fmt(r.achievedFraction, 3)} | ${r.throttlesSurfaced} | ${r.endpointThrottled} | ${r.accounting.lost} | ${r.accounting.orphaned} | ${Math.max(r.accounting.duplicates, r.endpointDuplicates)} | ${other} |`,
      );
    }
    lines.push(
      '',
      `Concurrency ${raw.submit.concurrency} callers in flight for both clients. Runs marked "faults" inject ${describeFaults(raw.submit.faults)} into the submit requests (seeded), with the service limit enforced.`,
      '',
    );
  }
  if (raw.wait) {
    const w = raw.wait;
    lines.push(
      '## Waiting',
      '',
      `Time scaled ×${w.timeScale}: job durations, pauses, poll interval and rate limits are scaled, figures below are converted back to real-world ms. ` +
        `Ours: first pause ${w.firstDelayMs} ms, cap ${w.maxDelayMs} ms, factor 2; one function per duration (2 s Cover, 10 s VideoClip, 60 s VideoDelogo); "oursFirst" is the first wait on a function (nothing learned), "ours" waits after ${w.warmupJobs} earlier jobs of the function were waited for one after the other. Baseline: a query every ${w.fixedPollMs} ms. ${w.jobsPerDuration} jobs per duration.`,
      '',
      '| T | method | queries/job median (min–max) | bound | detection delay median (min–max) |',
      '|---|---|---|---|---|',
    );
    for (const c of w.cases) {
      lines.push(
        `| ${c.durationMs / 1000} s | ${c.method} | ${fmt(c.queries.median, 1)} (${c.queries.min}–${c.queries.max}) | ${c.method.startsWith('ours') ? c.bound : '–'} | ${fmt(c.detectionDelayMs.median, 0)} ms (${fmt(c.detectionDelayMs.min, 0)}–${fmt(c.detectionDelayMs.max, 0)}) |`,
      );
    }
    for (const n of w.notes) lines.push('', `Note: ${n}`);
    lines.push('');
  }
  if (raw.bundle) {
    const b = raw.bundle;
    lines.push(
      '## Bundle',
      '',
      `runtime.zip ${b.zipBytes.toLocaleString('en-US')} B (index.js ${b.indexJsBytes.toLocaleString('en-US')} B); base64 in the template ${json.bundle.zipFileBase64Bytes === null ? 'n/a' : json.bundle.zipFileBase64Bytes.toLocaleString('en-US')} B. ` +
        `Cold init over ${b.coldInit.initMs.samples.length} fresh processes: require of index.js ${fmt(b.coldInit.initMs.median, 2)} ms (${fmt(b.coldInit.initMs.min, 2)}–${fmt(b.coldInit.initMs.max, 2)}), ` +
        `empty handler ${fmt(b.emptyColdInit.initMs.median, 2)} ms; whole spawn ${fmt(b.coldInit.spawnMs.median, 0)} ms (${fmt(b.coldInit.spawnMs.min, 0)}–${fmt(b.coldInit.spawnMs.max, 0)}) vs ${fmt(b.emptyColdInit.spawnMs.median, 0)} ms.`,
      '',
    );
  }
  if (raw.synth) {
    lines.push(
      '## Synth',
      '',
      'Each row: a fresh `node` child per synth (esbuild-compiled, no ts-node), medians (min–max) over the runs. "construct+synth" excludes module loading; "total" is from process start.',
      '',
      '| app | side | resources | construct+synth ms | total ms | peak RSS MiB | template B |',
      '|---|---|---|---|---|---|---|',
    );
    const all = [...(raw.synth.example ? [raw.synth.example] : []), ...raw.synth.pipelines];
    for (const c of all) {
      for (const [sideName, s] of [['ours', c.ours], ['raw L1', c.raw]] as const) {
        lines.push(
          `| ${c.name} | ${sideName} | ${s.resources} | ${fmt(s.constructAndSynthMs.median, 0)} (${fmt(s.constructAndSynthMs.min, 0)}–${fmt(s.constructAndSynthMs.max, 0)}) | ${fmt(s.totalMs.median, 0)} | ${fmt(s.maxRssKiB.median / 1024, 1)} | ${s.templateBytes.toLocaleString('en-US')} |`,
        );
      }
      if (!c.sameResources) lines.push(`| ${c.name} | note | resource types differ between ours and raw: ${JSON.stringify(c.ours.resourceTypes)} vs ${JSON.stringify(c.raw.resourceTypes)} | | | | |`);
    }
    if (json.synth.growth10to100) {
      lines.push('', `Growth from 10 to 100 pipelines (construct+synth): ours ×${fmt(json.synth.growth10to100.ours, 1)}, raw L1 ×${fmt(json.synth.growth10to100.raw, 1)}.`);
    }
    for (const e of raw.synth.errors) lines.push('', `Note: ${e}`);
    lines.push('');
  }
  return lines.join('\n');
}
