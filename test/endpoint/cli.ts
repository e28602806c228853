/**
 * `npm run local-ice [-- --port 8091 --qps-submit 100 --job-ms 200 --exit-after SECONDS --verbose]`
 * Starts the local endpoint and prints one line with what to export; runs until SIGINT/SIGTERM.
 */
import { LocalIce, LocalIceOptions, RequestRecord, startLocalIce } from './server';
import { FlagReader } from '../support/flags';

export interface CliOptions {
  readonly port: number;
  readonly qpsSubmit?: number;
  readonly jobMs?: number;
  readonly exitAfterSeconds?: number;
  readonly verbose?: boolean;
}

const USAGE = 'usage: local-ice [--port N (default 8091)] [--qps-submit N] [--job-ms N] [--exit-after SECONDS] [--verbose]';

/** Parses the flags; throws an Error naming the flag, the rule and the value on bad input. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let port = 8091;
  let qpsSubmit: number | undefined;
  let jobMs: number | undefined;
  let exitAfterSeconds: number | undefined;
  let verbose = false;
  const flags = new FlagReader(argv, USAGE);
  const number = flags.number.bind(flags);
  while (flags.next()) {
    switch (flags.flag) {
      case '--port':
        port = flags.port();
        break;
      case '--qps-submit':
        qpsSubmit = number((n) => n > 0, 'a number > 0');
        break;
      case '--job-ms':
        jobMs = number((n) => Number.isFinite(n) && n >= 0, 'a number >= 0');
        break;
      case '--exit-after':
        exitAfterSeconds = number((n) => Number.isFinite(n) && n > 0, 'a number of seconds > 0');
        break;
      case '--verbose':
        verbose = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw flags.unknown();
    }
  }
  return { port, qpsSubmit, jobMs, exitAfterSeconds, verbose };
}

/** `--job-ms` is a job's whole life: a quarter queuing, the rest running. */
export function serverOptions(cli: CliOptions, log: (line: string) => void = () => undefined): LocalIceOptions {
  return {
    port: cli.port,
    onRequest: cli.verbose ? (r) => log(requestLine(r)) : undefined,
    qps: cli.qpsSubmit === undefined ? undefined : { SubmitIProductionJob: cli.qpsSubmit },
    timing:
      cli.jobMs === undefined
        ? undefined
        : { queuingMs: Math.floor(cli.jobMs / 4), runningMs: cli.jobMs - Math.floor(cli.jobMs / 4) },
  };
}

/** `--verbose`: one line per request, e.g. `200 ice SubmitIProductionJob job=6d01…` or `400 ice SubmitIProductionJob Throttling.User`. */
export function requestLine(r: RequestRecord): string {
  const status = r.statusCode === 0 ? 'reset' : String(r.statusCode);
  const what = [r.code, r.jobId ? `job=${r.jobId}` : undefined, r.fault ? `fault=${r.fault}` : undefined].filter(Boolean);
  return [status, r.api ?? r.version ?? '-', r.action ?? '-', ...what].join(' ');
}

export function bannerLine(ice: LocalIce): string {
  return (
    `local ICE endpoint http://${ice.endpoint} (ICE 2020-11-09, MPS 2014-06-18): ` +
    `export ICE_ENDPOINT=${ice.endpoint} ICE_PROTOCOL=http ` +
    `ALIBABA_CLOUD_ACCESS_KEY_ID=${ice.accessKeyId} ALIBABA_CLOUD_ACCESS_KEY_SECRET=${ice.accessKeySecret}`
  );
}

async function main(argv: readonly string[]): Promise<number> {
  let cli: CliOptions;
  try {
    cli = parseCliArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const ice = await startLocalIce(serverOptions(cli, (line) => process.stdout.write(`${line}\n`)));
  process.stdout.write(`${bannerLine(ice)}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (cli.exitAfterSeconds !== undefined) {
      setTimeout(stop, cli.exitAfterSeconds * 1000).unref();
    }
  });
  const { totals, jobsCreated } = ice.stats;
  await ice.close();
  process.stdout.write(
    `local ICE endpoint stopped: ${totals.received} requests, ${totals.accepted} accepted, ${totals.throttled} throttled, ${jobsCreated} jobs\n`,
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`local-ice: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
