/**
 * The production loop's figures (issue 15), a figure of `npm run bench` (`--only=loop` runs it alone). Three runs of
 * `npm run e2e`'s code path (test/e2e/run.ts) over the local ICE, Tablestore and MNS endpoints on 127.0.0.1:
 *   1. burst: N uploads at once (10,000), 20 % duplicate events, 2 % worker crashes, 4 workers, ICE callbacks on,
 *      the e2e's compressed timing: duplicate submits, unaccounted uploads, deliveries, the sustained submit rate
 *      against the QPS limit, throttles, ledger writes/reads and job queries per job;
 *   2. with notifications, at the deployed timing (sweep every 60 s working 50 s, jobs of 10 s), uploads paced
 *      below the query limit: how long after a job's end its completion is recorded;
 *   3. the same without notifications (the sweep alone).
 * Figures are measured, never assumed; a run that did not finish says so.
 */
import type { E2eDetails, E2eOptions } from '../test/e2e/run';
import { runE2e } from '../test/e2e/run';
import { fmt } from './stats';

export interface LoopConfig {
  readonly burst: E2eOptions;
  readonly timed: E2eOptions;
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
  readonly burst: E2eDetails;
  readonly notified: E2eDetails;
  readonly sweepOnly: E2eDetails;
}

/** The goals of issue 15. */
export const LOOP_GOALS = { qpsFraction: 0.9, notifiedLagMs: 2_000, sweepOnlyLagMs: 60_000 } as const;

export async function measureLoop(config: LoopConfig, log: (line: string) => void): Promise<LoopFigures> {
  const sub = (name: string) => (line: string) => log(`loop ${name}: ${line}`);
  log(`loop: burst of ${config.burst.uploads} uploads`);
  const burst = await runE2e({ ...config.burst, log: sub('burst') });
  log(`loop: ${config.timed.uploads} uploads at ${config.timed.uploadRate}/s with ICE callbacks`);
  const notified = await runE2e({ ...config.timed, log: sub('notified') });
  log(`loop: the same without notifications`);
  const sweepOnly = await runE2e({ ...config.timed, notifications: false, seed: (config.timed.seed ?? 16) + 1, log: sub('sweep-only') });
  return { config, burst, notified, sweepOnly };
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

function row(name: string, o: E2eOptions, d: E2eDetails): string {
  const s = d.summary;
  const lag = d.completionLagMs;
  return `| ${name} | ${describe(o)} | ${s.submitted} / ${s.unknownOutcome} / ${s.rejected} | ${s.duplicateSubmits} | ${s.uploads - s.terminal} | ${s.delivered} (${s.deliveredTwice} published twice) | ${s.qpsFraction} | ${d.throttledByService} / ${d.failedInvocations} | ${d.ledgerWritesPerJob} / ${d.ledgerReadsPerJob} | ${d.queriesPerJob} | ${fmt(lag.p50, 0)} / ${fmt(lag.p95, 0)} / ${fmt(lag.max, 0)} | ${d.crashes} | ${s.seconds}${d.timedOut ? ' (timed out)' : ''} | ${d.ok ? 'pass' : 'FAIL'} |`;
}

/** The loop's section of bench/RESULTS.md. */
export function renderLoop(f: LoopFigures): string {
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const burstOk = f.burst.ok && f.burst.summary.duplicateSubmits === 0;
  return [
    '## Production loop (issue 15)',
    '',
    'Runs of `npm run e2e`\'s code path (test/e2e/run.ts): the synthesized example function in worker processes, the local ICE (SubmitIProductionJob limit 100/s, QueryIProductionJob 50/s), Tablestore and MNS endpoints on 127.0.0.1. Each worker stands for one of K instances and plans 1/K of the limits. Completion lag: from the job\'s end on the service to the row\'s `finishedAt`.',
    '',
    '| run | what | submitted / unknown / rejected | duplicate submits | unaccounted | delivered | submit rate / limit (p5-p95) | service throttles (retried) / failed invocations | ledger writes / reads per job | job queries per job | completion lag ms p50 / p95 / max | crashes | seconds | |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    row('burst', f.config.burst, f.burst),
    row('with notifications', f.config.timed, f.notified),
    row('sweep only', f.config.timed, f.sweepOnly),
    '',
    `- Exactly once (burst): ${met(burstOk)}: ${f.burst.summary.duplicateSubmits} duplicate submits, ${f.burst.summary.uploads - f.burst.summary.terminal} uploads unaccounted for, ${f.burst.summary.delivered} of ${f.burst.summary.uploads} delivered.`,
    `- Submit rate ≥ ${LOOP_GOALS.qpsFraction} of the limit across ${f.config.burst.workers} workers: ${met(f.burst.summary.qpsFraction >= LOOP_GOALS.qpsFraction)} (${f.burst.summary.qpsFraction}); throttling errors surfaced: ${f.burst.failedInvocations} failed invocations (the service throttled ${f.burst.throttledByService} requests, each retried).`,
    `- Completion within ${LOOP_GOALS.notifiedLagMs / 1000} s of the job's end with notifications: ${met(f.notified.completionLagMs.max <= LOOP_GOALS.notifiedLagMs)} (max ${fmt(f.notified.completionLagMs.max, 0)} ms).`,
    `- Completion within ${LOOP_GOALS.sweepOnlyLagMs / 1000} s without notifications: ${met(f.sweepOnly.completionLagMs.max <= LOOP_GOALS.sweepOnlyLagMs)} (max ${fmt(f.sweepOnly.completionLagMs.max, 0)} ms).`,
    '',
  ].join('\n');
}
