import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeployIo } from '../../lib/deploy/cli';
import { createExampleApp } from '../../bin/example-app';
import { manualClock, ManualClock } from '../endpoint/clock';
import { LocalRos, LocalRosOptions, startLocalRos } from '../ros-endpoint';

export interface Captured extends DeployIo {
  out: string;
  err: string;
  files: Record<string, string>;
}

/** A local ROS endpoint whose clock the CLI's injected sleep moves: polls advance the stacks, nothing sleeps. */
export async function rosWithClock(options: LocalRosOptions = {}): Promise<{ ros: LocalRos; clock: ManualClock }> {
  const clock = manualClock(Date.now());
  const ros = await startLocalRos({ now: clock.now, stepMs: 100, ...options });
  return { ros, clock };
}

/** ClientTokens must differ between commands (as random UUIDs do), so the counter lives outside capture(). */
let uuids = 0;

export function capture(ros: LocalRos, clock: ManualClock, extra: Partial<DeployIo> = {}): Captured {
  const io: Captured = {
    out: '',
    err: '',
    files: {},
    stdout: (t) => {
      io.out += t;
    },
    stderr: (t) => {
      io.err += t;
    },
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: ros.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ros.accessKeySecret },
    sleep: async (ms) => clock.advance(ms),
    clockMs: clock.now,
    random: () => 0.5,
    randomUUID: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, '0')}`,
    writeFile: (p, t) => {
      io.files[p] = t;
    },
    interactive: false,
    ...extra,
  };
  return io;
}

/** The example app synthesized into a fresh directory. */
export function synthExample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-deploy-'));
  createExampleApp(dir).synth();
  return dir;
}

/** A copy of an assembly whose template `edit` changed (the way a code change would). */
export function editedCopy(dir: string, stackName: string, edit: (template: any) => void): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-deploy-edit-'));
  for (const f of fs.readdirSync(dir)) {
    if (fs.statSync(path.join(dir, f)).isFile()) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
  }
  const file = path.join(copy, `${stackName}.template.json`);
  const template = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(template);
  fs.writeFileSync(file, JSON.stringify(template, null, 1));
  return copy;
}

/** A directory holding hand-written templates (no manifest), as `--app` accepts. */
export function templatesDir(templates: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-deploy-tpl-'));
  for (const [name, t] of Object.entries(templates)) fs.writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(t, null, 1));
  return dir;
}
