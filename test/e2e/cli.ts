/**
 * `npm run --silent e2e -- [--uploads N] [--duplicate-events P] [--crash-rate P] [--workers K] [--function NAME]
 * [--ice-endpoint HOST:PORT] [--ots-endpoint HOST:PORT] [--mns-endpoint HOST:PORT] [--json]` (public contract).
 * Exit 0 only when every upload is accounted for (S + U + R = N, T = N, V = N) and no job was submitted twice.
 */
import { runE2e, type E2eOptions } from './run';

function usage(message: string): never {
  process.stderr.write(`e2e: ${message}\n`);
  process.exit(2);
}

function parse(argv: string[]): E2eOptions & { json: boolean; verbose: boolean } {
  const out: Record<string, unknown> = { uploads: 100, duplicateEvents: 0, crashRate: 0, workers: 2, json: false, verbose: false };
  const numeric: Record<string, [string, 'int' | 'fraction']> = {
    '--uploads': ['uploads', 'int'],
    '--duplicate-events': ['duplicateEvents', 'fraction'],
    '--crash-rate': ['crashRate', 'fraction'],
    '--workers': ['workers', 'int'],
    '--reconcile-window-ms': ['reconcileWindowMs', 'int'],
    '--job-running-ms': ['jobRunningMs', 'int'],
    '--timeout-seconds': ['timeoutSeconds', 'int'],
    '--tick-ms': ['tickMs', 'int'],
    '--upload-rate': ['uploadRate', 'int'],
    '--seed': ['seed', 'int'],
  };
  const text: Record<string, string> = { '--function': 'functionName', '--ice-endpoint': 'iceEndpoint', '--ots-endpoint': 'otsEndpoint', '--mns-endpoint': 'mnsEndpoint' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') out.json = true;
    else if (flag === '--verbose') out.verbose = true;
    else if (flag === '--no-notifications') out.notifications = false;
    else if (numeric[flag] || text[flag]) {
      const value = argv[++i];
      if (value === undefined) usage(`${flag} needs a value`);
      if (text[flag]) out[text[flag]] = value;
      else {
        const [name, kind] = numeric[flag];
        const n = Number(value);
        const valid = kind === 'int' ? Number.isInteger(n) && n >= (name === 'uploads' || name === 'seed' ? 0 : 1) : n >= 0 && n <= 1;
        if (!valid) usage(`${flag} must be ${kind === 'int' ? 'a positive integer' : 'a fraction between 0 and 1'}, got ${JSON.stringify(value)}`);
        out[name] = n;
      }
    } else usage(`unknown option ${JSON.stringify(flag)}`);
  }
  return out as unknown as E2eOptions & { json: boolean; verbose: boolean };
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const details = await runE2e({ ...options, log: options.verbose ? (l) => process.stderr.write(`${l}\n`) : undefined });
  const s = details.summary;
  if (!options.json) {
    process.stdout.write(
      [
        `uploads ${s.uploads}: submitted ${s.submitted}, unknown outcome ${s.unknownOutcome}, rejected ${s.rejected}; terminal ${s.terminal}, delivered ${s.delivered} (published twice: ${s.deliveredTwice})`,
        `duplicate submits ${s.duplicateSubmits}; submit rate ${s.qpsFraction} of the QPS limit; throttled by the service ${details.throttledByService} (retried)`,
        `invocations ${details.invocations}, worker crashes ${details.crashes}, redeliveries ${details.redeliveries}, failed invocations ${details.failedInvocations}`,
        `per job: ledger writes ${details.ledgerWritesPerJob}, ledger reads ${details.ledgerReadsPerJob}, job queries ${details.queriesPerJob}`,
        `completion found after the job's end: p50 ${details.completionLagMs.p50} ms, p95 ${details.completionLagMs.p95} ms, max ${details.completionLagMs.max} ms`,
        `${details.ok ? 'PASS' : 'FAIL'}${details.timedOut ? ' (timed out)' : ''} in ${s.seconds} s`,
        '',
      ].join('\n'),
    );
  }
  if (options.json) process.stdout.write(`${JSON.stringify(s)}\n`);
  process.exit(details.ok ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`e2e: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
