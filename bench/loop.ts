/**
 * `npm run bench:loop [-- --uploads N] [--quiet-uploads N]`: the production loop's figures (issue 15), beside the
 * other figures of bench/. Two runs of `npm run e2e`'s code path (test/e2e/run.ts):
 *   1. N uploads (default 10,000), 20 % duplicate events, 2 % worker crashes, 4 workers, ICE callbacks on:
 *      duplicate submits, unaccounted uploads, deliveries, submit rate against the QPS limit, service throttles,
 *      ledger writes/reads and job queries per job, completion lag with notifications;
 *   2. a smaller run without notifications: completion lag found by the sweep alone.
 * Writes bench/loop-results.json and bench/LOOP.md. Figures are measured, never assumed; a run that did not finish
 * says so.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runE2e, type E2eDetails } from '../test/e2e/run';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return n;
}

async function main(): Promise<void> {
  const uploads = flag('--uploads', 10_000);
  const quietUploads = flag('--quiet-uploads', 500);
  const loadAtStart = os.loadavg()[0];
  const log = (l: string) => process.stderr.write(`[bench:loop] ${l}\n`);
  log(`run 1: ${uploads} uploads, 20 % duplicates, 2 % crashes, 4 workers, notifications on`);
  const withNotifications = await runE2e({ uploads, duplicateEvents: 0.2, crashRate: 0.02, workers: 4, seed: 15, timeoutSeconds: 3600, log });
  log(`run 2: ${quietUploads} uploads, no notifications (the sweep alone)`);
  const sweepOnly = await runE2e({ uploads: quietUploads, duplicateEvents: 0.2, crashRate: 0.02, workers: 4, seed: 16, notifications: false, timeoutSeconds: 3600, log });
  const loadAtEnd = os.loadavg()[0];
  const results = { date: new Date().toISOString(), cpus: os.cpus().length, loadAtStart, loadAtEnd, withNotifications, sweepOnly };
  fs.writeFileSync(path.join(__dirname, 'loop-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(__dirname, 'LOOP.md'), render(results));
  process.stdout.write(render(results));
}

function row(name: string, d: E2eDetails): string {
  const s = d.summary;
  return `| ${name} | ${s.uploads} | ${s.submitted} | ${s.unknownOutcome} | ${s.rejected} | ${s.duplicateSubmits} | ${s.uploads - s.terminal} | ${s.delivered} | ${s.deliveredTwice} | ${s.qpsFraction} | ${d.throttledByService} / ${d.failedInvocations} | ${d.ledgerWritesPerJob} / ${d.ledgerReadsPerJob} | ${d.queriesPerJob} | ${d.completionLagMs.p50} / ${d.completionLagMs.p95} / ${d.completionLagMs.max} | ${d.crashes} | ${s.seconds}${d.timedOut ? ' (timed out)' : ''} | ${d.ok ? 'pass' : 'FAIL'} |`;
}

function render(r: { date: string; cpus: number; loadAtStart: number; loadAtEnd: number; withNotifications: E2eDetails; sweepOnly: E2eDetails }): string {
  return [
    '# Production loop figures',
    '',
    `Measured ${r.date} on ${r.cpus} CPUs shared with other work (load ${r.loadAtStart.toFixed(1)} at start, ${r.loadAtEnd.toFixed(1)} at end), by \`npm run bench:loop\` (bench/loop.ts over test/e2e/run.ts).`,
    'Local ICE (SubmitIProductionJob limit 100/s, jobs 350 ms), Tablestore and MNS endpoints on 127.0.0.1; 4 worker processes loading the synthesized function; 20 % duplicate events; 2 % of upload invocations kill their worker.',
    '',
    '| run | uploads | submitted | unknown | rejected | duplicate submits | unaccounted | delivered | published twice | submit rate / limit | throttled by service (retried) / failed invocations | ledger writes / reads per job | job queries per job | completion lag ms p50 / p95 / max | crashes | seconds | |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    row('with ICE callbacks', r.withNotifications),
    row('sweep only', r.sweepOnly),
    '',
    'Completion lag: from the job\'s end on the service to the row\'s `finishedAt`. "Submit rate / limit": accepted submits per second between the first and the last accepted submit, over the limit; with one core per worker fewer than the workers, this reflects the machine as much as the limiter.',
    '',
  ].join('\n');
}

main().catch((err) => {
  process.stderr.write(`bench:loop: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
