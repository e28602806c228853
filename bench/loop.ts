/**
 * The production loop's figures (issue 15), a figure of `npm run bench` (`--only=loop` runs it alone). Four runs of
 * `npm run e2e`'s code path (test/e2e/run.ts) over the local ICE, Tablestore and MNS endpoints on 127.0.0.1:
 *   1. burst: N uploads at once (10,000), 20 % duplicate events, 2 % worker crashes, 4 workers, ICE callbacks on,
 *      the e2e's compressed timing: duplicate submits, unaccounted uploads, deliveries, the sustained submit rate
 *      against the QPS limit, throttles, ledger writes/reads and job queries per job;
 *   2. the same burst without crashes: the submit rate the loop sustains when the machine has CPU to spare;
 *   3. with notifications, at the deployed timing (sweep every 60 s working 50 s, jobs of 10 s), uploads paced
 *      below the query limit: how long after a job's end its completion is recorded;
 *   4. the same without notifications (the sweep alone).
 * Every run also records how busy the machine's CPUs were (all processes: the workers, the endpoints, the driver),
 * and the CPU time it took. Figures are measured, never assumed; a run that did not finish says so.
 */
import * as os from 'os';
import type { E2eDetails, E2eOptions } from '../test/e2e/run';
import { runE2e } from '../test/e2e/run';
import { fmt } from './stats';

export interface LoopConfig {
  readonly burst: E2eOptions;
  readonly timed: E2eOptions;
}

/** A run's details with the machine's CPU over it. */
export interface LoopRun {
  readonly details: E2eDetails;
  /** Fraction of all CPUs' time not idle while the submits were sustained (the window `qpsFraction` is measured over). */
  readonly cpuBusy: number;
  /** CPU seconds spent by the whole machine over the whole run (synthesis included). */
  readonly cpuSeconds: number;
  readonly cpus: number;
}

export const LOOP_FULL: LoopConfig = {
  burst: { uploads: 10_000, duplicateEvents: 0.2, crashRate: 0.02, workers: 4, seed: 15, timeoutSeconds: 3600 },
  timed: { uploads: 600, uploadRate: 10, duplicateEvents: 0.2, crashRate: 0, workers: 4, seed: 16, tickMs: 60_000, sweepSeconds: 50, jobRunningMs: 10_000, timeoutSeconds: 900 },
};

export const LOOP_QUICK: LoopConfig = {
  burst: { uploads: 300, duplicateEvents: 0.2, crashRate: 0.02, workers: 4, seed: 15, timeoutSeconds: 600 },
  timed: { uploads: 60, uploadRate: 10, duplicateEvents: 0.2, crashRate: 0, workers: 4, seed: 16, tickMs: 6_000, sweepSeconds: 5, jobRunningMs: 1_000, timeoutSeconds: 300 },
};

export interface LoopFigures {
  readonly config: LoopConfig;
  readonly burst: LoopRun;
  readonly steady: LoopRun;
  readonly notified: LoopRun;
  readonly sweepOnly: LoopRun;
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of os.cpus()) {
    const t = c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
    total += t;
    busy += t - c.times.idle;
  }
  return { busy, total };
}

async function measured(options: E2eOptions): Promise<LoopRun> {
  // The machine's CPU times every half second, to read how busy it was over the run's submit window.
  const samples: Array<{ at: number } & ReturnType<typeof cpuTimes>> = [{ at: Date.now(), ...cpuTimes() }];
  const timer = setInterval(() => samples.push({ at: Date.now(), ...cpuTimes() }), 500);
  let details: E2eDetails;
  try {
    details = await runE2e(options);
  } finally {
    clearInterval(timer);
  }
  samples.push({ at: Date.now(), ...cpuTimes() });
  const first = samples[0];
  const last = samples[samples.length - 1];
  const window = details.submitWindowMs;
  const from = window ? [...samples].reverse().find((x) => x.at <= window.from) ?? first : first;
  const to = window ? samples.find((x) => x.at >= window.to) ?? last : last;
  const total = to.total - from.total;
  return {
    details,
    cpuBusy: total > 0 ? (to.busy - from.busy) / total : 0,
    cpuSeconds: (last.busy - first.busy) / 1000,
    cpus: os.cpus().length,
  };
}

/** The goals of issue 15. */
export const LOOP_GOALS = { qpsFraction: 0.9, notifiedLagMs: 2_000, sweepOnlyLagMs: 60_000 } as const;

export async function measureLoop(config: LoopConfig, log: (line: string) => void): Promise<LoopFigures> {
  const sub = (name: string) => (line: string) => log(`loop ${name}: ${line}`);
  log(`loop: burst of ${config.burst.uploads} uploads`);
  const burst = await measured({ ...config.burst, log: sub('burst') });
  log(`loop: the same burst without crashes`);
  const steady = await measured({ ...config.burst, crashRate: 0, log: sub('steady') });
  log(`loop: ${config.timed.uploads} uploads at ${config.timed.uploadRate}/s with ICE callbacks`);
  const notified = await measured({ ...config.timed, log: sub('notified') });
  log(`loop: the same without notifications`);
  const sweepOnly = await measured({ ...config.timed, notifications: false, seed: (config.timed.seed ?? 16) + 1, log: sub('sweep-only') });
  return { config, burst, steady, notified, sweepOnly };
}

function describe(o: E2eOptions): string {
  const parts = [
    `${o.uploads.toLocaleString('en-US')} uploads${o.uploadRate ? ` at ${o.uploadRate}/s` : ' at once'}`,
    `${Math.round(o.duplicateEvents * 100)} % duplicate events`,
    `${Math.round(o.crashRate * 100)} % worker crashes`,
    `${o.workers} workers`,
    `sweep every ${(o.tickMs ?? 500) / 1000} s working ${o.sweepSeconds ?? ((o.tickMs ?? 500) * 0.8) / 1000} s`,
    `jobs of ${((o.jobRunningMs ?? 300) + 50) / 1000} s`,
  ];
  return parts.join(', ');
}

function row(name: string, o: E2eOptions, run: LoopRun): string {
  const d = run.details;
  const s = d.summary;
  const lag = d.completionLagMs;
  return `| ${name} | ${describe(o)} | ${s.submitted} / ${s.unknownOutcome} / ${s.rejected} | ${s.duplicateSubmits} | ${s.uploads - s.terminal} | ${s.delivered} (${s.deliveredTwice} published twice) | ${s.qpsFraction} | ${d.throttledByService} / ${d.failedInvocations} | ${d.ledgerWritesPerJob} / ${d.ledgerReadsPerJob} | ${d.queriesPerJob} | ${fmt(lag.p50, 0)} / ${fmt(lag.p95, 0)} / ${fmt(lag.max, 0)} | ${d.crashes} | ${Math.round(run.cpuBusy * 100)} % of ${run.cpus} / ${fmt((run.cpuSeconds * 1000) / Math.max(1, s.uploads), 1)} | ${s.seconds}${d.timedOut ? ' (timed out)' : ''} | ${d.ok ? 'pass' : 'FAIL'} |`;
}

/** The loop's section of bench/LOOP.md. */
export function renderLoop(f: LoopFigures): string {
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const burst = f.burst.details;
  const steady = f.steady.details;
  const burstOk = burst.ok && burst.summary.duplicateSubmits === 0;
  // What a crash costs the machine: the crash burst's CPU time beyond the same uploads' without crashes.
  const perCrashMs = burst.crashes > 0 ? ((f.burst.cpuSeconds - f.steady.cpuSeconds) * 1000) / burst.crashes : 0;
  const crashesPerSecondAtGoal = 100 * LOOP_GOALS.qpsFraction * (1 + (f.config.burst.duplicateEvents ?? 0)) * (f.config.burst.crashRate ?? 0);
  return [
    '## Production loop (issue 15)',
    '',
    'Runs of `npm run e2e`\'s code path (test/e2e/run.ts): the synthesized example function in worker processes, the local ICE (SubmitIProductionJob limit 100/s, QueryIProductionJob 50/s), Tablestore and MNS endpoints on 127.0.0.1, all on this one machine. Each worker stands for one of K instances: it plans 1/K of the limits and borrows what the others leave unused. Completion lag: from the job\'s end on the service to the row\'s `finishedAt`. CPU: how busy the machine\'s CPUs were (every process) while the submits were sustained (p5-p95), and the machine\'s CPU time over the whole run (synthesis included) per upload.',
    '',
    '| run | what | submitted / unknown / rejected | duplicate submits | unaccounted | delivered | submit rate / limit (p5-p95) | service throttles (retried) / failed invocations | ledger writes / reads per job | job queries per job | completion lag ms p50 / p95 / max | crashes | CPU busy / ms per upload | seconds | |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    row('burst', f.config.burst, f.burst),
    row('burst, no crashes', { ...f.config.burst, crashRate: 0 }, f.steady),
    row('with notifications', f.config.timed, f.notified),
    row('sweep only', f.config.timed, f.sweepOnly),
    '',
    `- Exactly once (burst): ${met(burstOk)}: ${burst.summary.duplicateSubmits} duplicate submits, ${burst.summary.uploads - burst.summary.terminal} uploads unaccounted for, ${burst.summary.delivered} of ${burst.summary.uploads} delivered.`,
    `- Submit rate ≥ ${LOOP_GOALS.qpsFraction} of the limit across ${f.config.burst.workers} workers: without crashes ${met(steady.summary.qpsFraction >= LOOP_GOALS.qpsFraction)} (${steady.summary.qpsFraction}, CPU ${Math.round(f.steady.cpuBusy * 100)} % busy); with ${Math.round((f.config.burst.crashRate ?? 0) * 100)} % worker crashes ${met(burst.summary.qpsFraction >= LOOP_GOALS.qpsFraction)} (${burst.summary.qpsFraction}, CPU ${Math.round(f.burst.cpuBusy * 100)} % busy). Throttling errors surfaced: ${burst.failedInvocations + steady.failedInvocations} failed invocations (the service throttled ${burst.throttledByService} and ${steady.throttledByService} requests, each retried).`,
    `- What a crash costs this machine: about ${fmt(perCrashMs, 0)} ms of CPU each (${burst.crashes} crashes; the burst's CPU time beyond the same burst's without crashes): a fresh worker process loading the bundle, its cold code, and the redelivered invocations. At ${LOOP_GOALS.qpsFraction} of the limit, ${fmt(crashesPerSecondAtGoal, 2)} crashes a second would keep ${fmt((perCrashMs / 1000) * crashesPerSecondAtGoal, 2)} of the ${f.burst.cpus} CPUs busy on top of the ${Math.round(f.steady.cpuBusy * 100)} % the burst without crashes kept busy. On FC a replacement instance starts on its own CPU; here it takes it from the others.`,
    `- Completion within ${LOOP_GOALS.notifiedLagMs / 1000} s of the job's end with notifications: ${met(f.notified.details.completionLagMs.max <= LOOP_GOALS.notifiedLagMs)} (max ${fmt(f.notified.details.completionLagMs.max, 0)} ms).`,
    `- Completion within ${LOOP_GOALS.sweepOnlyLagMs / 1000} s without notifications: ${met(f.sweepOnly.details.completionLagMs.max <= LOOP_GOALS.sweepOnlyLagMs)} (max ${fmt(f.sweepOnly.details.completionLagMs.max, 0)} ms).`,
    '',
  ].join('\n');
}
