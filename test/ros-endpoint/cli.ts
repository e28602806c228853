/**
 * `npm run local-ros [-- --port 8092 --step-ms 100 --exit-after SECONDS --verbose]`
 * Starts the local ROS endpoint and prints what to export; runs until SIGINT/SIGTERM (or --exit-after).
 */
import { startLocalRos } from './server';

const USAGE = 'usage: local-ros [--port N (default 8092)] [--step-ms N (default 100)] [--exit-after SECONDS] [--verbose]';

export interface RosCliOptions {
  readonly port: number;
  readonly stepMs: number;
  readonly exitAfterSeconds?: number;
  readonly verbose: boolean;
}

export function parseRosCliArgs(argv: readonly string[]): RosCliOptions {
  let port = 8092;
  let stepMs = 100;
  let exitAfterSeconds: number | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const number = (ok: (n: number) => boolean, rule: string): number => {
      const raw = inline ?? argv[++i];
      const n = Number(raw);
      if (raw === undefined || raw.trim() === '' || !ok(n)) throw new Error(`${flag} must be ${rule}, got ${JSON.stringify(raw)}\n${USAGE}`);
      return n;
    };
    switch (flag) {
      case '--port': port = number((n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer between 0 and 65535'); break;
      case '--step-ms': stepMs = number((n) => Number.isFinite(n) && n >= 0, 'a number >= 0'); break;
      case '--exit-after': exitAfterSeconds = number((n) => Number.isFinite(n) && n > 0, 'a number of seconds > 0'); break;
      case '--verbose': verbose = true; break;
      default: throw new Error(`unknown flag ${JSON.stringify(argv[i])}\n${USAGE}`);
    }
  }
  return { port, stepMs, exitAfterSeconds, verbose };
}

async function main(): Promise<void> {
  let options: RosCliOptions;
  try {
    options = parseRosCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const ros = await startLocalRos({
    port: options.port,
    stepMs: options.stepMs,
    onRequest: options.verbose ? (r) => process.stdout.write(`${r.statusCode} ${r.action ?? '-'}${r.code ? ` ${r.code}` : ''}\n`) : undefined,
  });
  process.stdout.write(
    `local ROS endpoint http://${ros.endpoint} (ROS ${'2019-09-10'}, account ${ros.accountId}): ` +
      `iprod deploy --endpoint ${ros.endpoint} --protocol http with ` +
      `ALIBABA_CLOUD_ACCESS_KEY_ID=${ros.accessKeyId} ALIBABA_CLOUD_ACCESS_KEY_SECRET=${ros.accessKeySecret}\n`,
  );
  const stop = () => {
    void ros.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (options.exitAfterSeconds !== undefined) setTimeout(stop, options.exitAfterSeconds * 1000).unref();
}

if (require.main === module) void main();
