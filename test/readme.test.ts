import { ChildProcess, execFile, spawn } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { freePort } from './support/net';

const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const fences = (md: string, lang: string) => [...md.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
/** The text of the README's `## heading` section, up to the next `## `. */
const section = (heading: string) => {
  const start = README.indexOf(`\n## ${heading}\n`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
};

describe('README', () => {
  it('starts with the two quick-start commands, and CI runs the test command it shows', () => {
    const quickStart = section('Quick start');
    expect(quickStart).toContain('npm ci && npm run synth');
    expect(quickStart).toContain('npm test');
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm ci$[\s\S]*^npm test$/m);
  });

  it('keeps its sections in the order readers look for them', () => {
    const order = ['Quick start', 'The production loop', 'Constructs', 'Runtime', 'Deploy', 'CLI', 'Policy review', 'Limits']
      .map((h) => README.indexOf(`\n## ${h}\n`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  // Its TypeScript examples compile and run as written in test/docs/examples.test.ts, with every doc's.
});

describe('README CLI example', () => {
  const block = fences(section('CLI'), 'sh').find((b) => b.includes('# terminal 1'))!;
  const [terminal1, terminal2] = block.split('# terminal 2');
  let endpoint: ChildProcess | undefined;

  afterAll(() => {
    // The endpoint also stops by itself (--exit-after); this only makes it prompt.
    if (endpoint?.pid && endpoint.exitCode === null) process.kill(-endpoint.pid, 'SIGTERM');
  });

  it('runs as written against the local endpoint (only the port changed)', async () => {
    // GIVEN terminal 1's command, on a free port, told to stop by itself
    const port = String(await freePort());
    const start = terminal1.split('\n').find((l) => l.startsWith('npm run local-ice'))!.replace('8091', port);
    endpoint = spawn('bash', ['-c', `${start} --exit-after 120`], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let banner = '';
    await new Promise<void>((resolve, reject) => {
      endpoint!.stdout!.on('data', (d) => { banner += d; if (banner.includes('local ICE endpoint')) resolve(); });
      endpoint!.on('exit', (code) => reject(new Error(`local-ice exited with ${code} before it listened: ${banner}`)));
    });
    expect(banner).toContain(`export ICE_ENDPOINT=127.0.0.1:${port}`);

    // WHEN terminal 2's lines run in a shell that stops at the first failing command
    const script = `set -euo pipefail\n${terminal2.replace(/8091/g, port)}`;
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('bash', ['-c', script], { cwd: ROOT, timeout: 90_000, maxBuffer: 8 << 20 }, (err, out, errOut) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: out, stderr: errOut }));
    });

    // THEN every command succeeded and said what the README says it does
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/ImageCartoonize/); // functions --api mts lists the MPS-only functions
    expect(stdout).not.toMatch(/MusicDemix/); // ... and not the ICE-only ones
    expect(stdout).toMatch(/^submitted job [0-9a-f]{32}$/m);
    expect(stdout).toMatch(/: Success \(\d+s\)$/m); // the --wait progress line
    const jsonDocs = [...stdout.matchAll(/^\{\n[\s\S]*?\n\}$/gm)].map((m) => JSON.parse(m[0]));
    expect(jsonDocs.map((j) => [j.FunctionName, j.KnownFunction])).toEqual([['Cover', true], ['VideoClip', true]]);
    expect(jsonDocs[0].Status).toBe('Success');
    expect(jsonDocs[0].OutputFiles).toHaveLength(3);
  });
});
