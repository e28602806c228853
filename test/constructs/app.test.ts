import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cxapi from '@alicloud/ros-cdk-cxapi';
import { unzipSync } from 'fflate';
import { createExampleApp, EXAMPLE_DEFAULTS } from '../../bin/example-app';
import { ROS_LIMITS } from '../../lib/service';
import { formatSynthSummary, summarizeSynth } from '../../lib/policy';

const ROOT = path.resolve(__dirname, '..', '..');

function tmpdir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `iprod-app-${label}-`));
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function synthExample(): { outdir: string; assembly: cxapi.CloudAssembly } {
  const outdir = tmpdir('synth');
  return { outdir, assembly: createExampleApp(outdir).synth() };
}

describe('example app', () => {
  it('synthesizes byte-identically twice, every file of the cloud assembly', () => {
    // GIVEN
    const first = synthExample().outdir;
    const second = synthExample().outdir;
    // WHEN
    const files = filesUnder(first);
    // THEN
    expect(files).toEqual(filesUnder(second));
    expect(files).toEqual(
      expect.arrayContaining(['manifest.json', 'tree.json', `${EXAMPLE_DEFAULTS.stackName}.template.json`, `${EXAMPLE_DEFAULTS.stackName}.assets.json`]),
    );
    for (const file of files) {
      expect({ file, bytes: fs.readFileSync(path.join(first, file)) }).toEqual({ file, bytes: fs.readFileSync(path.join(second, file)) });
    }
    // Nothing in the assembly points at the machine or the moment it was built on.
    for (const file of files) {
      const text = fs.readFileSync(path.join(first, file), 'utf8');
      expect(text).not.toContain(first);
      expect(text).not.toContain(ROOT);
      expect(text).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:\d\d/);
    }
  });

  it('loads as a cloud assembly with @alicloud/ros-cdk-cxapi', () => {
    // GIVEN
    const { outdir } = synthExample();
    // WHEN
    const loaded = new cxapi.CloudAssembly(outdir);
    // THEN
    const stack = loaded.getStackByName(EXAMPLE_DEFAULTS.stackName);
    expect(loaded.stacks.map((s) => s.stackName)).toEqual([EXAMPLE_DEFAULTS.stackName]);
    expect(stack.template.ROSTemplateFormatVersion).toBe('2015-09-01');
    expect(Object.values<any>(stack.template.Resources).map((r) => r.Type).sort()).toEqual([
      'ALIYUN::FC3::AsyncInvokeConfig',
      'ALIYUN::FC3::ConcurrencyConfig',
      'ALIYUN::FC3::Function',
      // the completions topic's, two uploads (.mp4, .mov) and the loop's sweep
      'ALIYUN::FC3::Trigger',
      'ALIYUN::FC3::Trigger',
      'ALIYUN::FC3::Trigger',
      'ALIYUN::FC3::Trigger',
      // failed invocations; ICE's event callback
      'ALIYUN::MNS::Queue',
      'ALIYUN::MNS::Queue',
      // completions; the loop's results
      'ALIYUN::MNS::Topic',
      'ALIYUN::MNS::Topic',
      'ALIYUN::MPS::Pipeline',
      'ALIYUN::OSS::Bucket',
      'ALIYUN::OSS::Bucket',
      // the loop's ledger
      'ALIYUN::OTS::Instance',
      'ALIYUN::OTS::Table',
      'ALIYUN::RAM::ManagedPolicy',
      // the runtime's, and the MNS and OSS triggers' invoke roles
      'ALIYUN::RAM::Role',
      'ALIYUN::RAM::Role',
      'ALIYUN::RAM::Role',
    ]);
    expect(stack.tags).toEqual(EXAMPLE_DEFAULTS.tags);
    // Completions reach the handler through the topic's trigger: the one path the handler can act on.
    const resources = Object.values<any>(stack.template.Resources);
    const topicName = `${EXAMPLE_DEFAULTS.namePrefix}-completions`;
    expect(resources.find((r) => r.Type === 'ALIYUN::MPS::Pipeline').Properties.NotifyConfig).toEqual({ Topic: topicName });
    expect(resources.find((r) => r.Type === 'ALIYUN::FC3::Trigger' && r.Properties.TriggerType === 'mns_topic').Properties).toMatchObject({
      SourceArn: { 'Fn::Join': ['', [`acs:mns:${EXAMPLE_DEFAULTS.region}:`, { Ref: 'ALIYUN::AccountId' }, `:/topics/${topicName}`]] },
    });
  });

  it('stays within the ROS limits, and the summary reports the written figures', () => {
    // GIVEN
    const { assembly } = synthExample();
    const stack = assembly.getStackByName(EXAMPLE_DEFAULTS.stackName);
    // WHEN
    const [summary] = summarizeSynth(assembly.directory);
    const text = formatSynthSummary([summary]);
    // THEN
    expect(summary.templateBytes).toBe(fs.statSync(path.join(assembly.directory, stack.templateFile)).size);
    expect(summary.templateBytes).toBeLessThanOrEqual(ROS_LIMITS.templateMaxBytes);
    expect(Object.values(summary.resourcesByType).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(ROS_LIMITS.stackMaxResources);
    expect(summary.resourcesByType['ALIYUN::OSS::Bucket']).toBe(2);
    // ice submit/query, sending failed asynchronous invocations to their queue, and the loop's: consuming ICE's
    // callback queue, publishing results, the ledger table. No OSS (ICE reads and writes through its own service
    // role). The topic and upload triggers' roles hold one inline statement each: fc:InvokeFunction.
    expect(summary.principals.map((p) => p.policies)).toEqual([
      [{ kind: 'managed', name: expect.stringMatching(/^iprod-example-IProductionExample-Production-Runtime-Grants-/), statements: 5 }],
      [{ kind: 'inline', name: 'iprod-example-runtime-mns-invoke', statements: 1 }],
      [{ kind: 'inline', name: 'iprod-example-runtime-oss-invoke', statements: 1 }],
    ]);
    expect(text).toContain(`${EXAMPLE_DEFAULTS.stackName}: 20 resources, template ${summary.templateBytes} bytes`);
    expect(text).toMatch(/^\s+2\s+ALIYUN::OSS::Bucket$/m);
  });

  it('embeds a handler that, loaded as FC loads it, answers a bad event with an error object', () => {
    // GIVEN the ZipFile from the synthesized template, unzipped into a directory of its own
    const { assembly } = synthExample();
    const template = assembly.getStackByName(EXAMPLE_DEFAULTS.stackName).template;
    const fn = Object.values<any>(template.Resources).find((r) => r.Type === 'ALIYUN::FC3::Function');
    const [file, handlerName] = String(fn.Properties.Handler).split('.');
    const entries = unzipSync(new Uint8Array(Buffer.from(fn.Properties.Code.ZipFile, 'base64')));
    const codeDir = tmpdir('code');
    for (const [name, bytes] of Object.entries(entries)) {
      fs.mkdirSync(path.dirname(path.join(codeDir, name)), { recursive: true });
      fs.writeFileSync(path.join(codeDir, name), bytes);
    }
    expect(Object.keys(entries)).toContain(`${file}.js`);
    // WHEN a fresh Node process (no ts-node, no jest) requires it and calls the handler with bad events
    const answersFile = path.join(tmpdir('answers'), 'answers.json');
    const probe = `
      const mod = require(${JSON.stringify(path.join(codeDir, `${file}.js`))});
      const context = { requestId: 'req-1', region: 'cn-shanghai', accountId: '1234567890',
        credentials: { accessKeyId: 'AK', accessKeySecret: 'SK', securityToken: 'TOKEN' }, function: { timeout: 600 } };
      const events = [Buffer.from('not json'), Buffer.from('{"action":"explode"}'), Buffer.from('{"action":"query"}')];
      (async () => {
        const answers = [];
        for (const e of events) {
          try { answers.push(await mod[${JSON.stringify(handlerName)}](e, context)); }
          catch (err) { answers.push({ threw: String(err && err.message) }); }
        }
        require('fs').writeFileSync(${JSON.stringify(answersFile)}, JSON.stringify(answers));
      })();`;
    execFileSync(process.execPath, ['-e', probe], {
      cwd: codeDir,
      env: { PATH: process.env.PATH ?? '', IPROD_REGION: 'cn-shanghai', IPROD_API: 'ice', ICE_ENDPOINT: '127.0.0.1:9', ICE_PROTOCOL: 'http' },
      timeout: 30_000,
    });
    // THEN every answer is an object with an error (code and message) and none threw
    const answers = JSON.parse(fs.readFileSync(answersFile, 'utf8'));
    expect(answers).toHaveLength(3);
    for (const answer of answers) {
      expect(answer).not.toHaveProperty('threw');
      expect(answer).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
    }
  });

  it('has no side effects on import, and bin/app.ts (the cdk.json app) writes the assembly and prints the summary', () => {
    // GIVEN a scratch working directory
    const cwd = tmpdir('cwd');
    const outdir = path.join(cwd, 'out');
    const tsNode = require.resolve('ts-node/dist/bin.js', { paths: [ROOT] });
    const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));
    expect(cdkJson.app).toMatch(/bin\/app\.ts$/);
    // WHEN the factory module is only imported
    spawnSync(process.execPath, [tsNode, '--transpile-only', '-e', `require(${JSON.stringify(path.join(ROOT, 'bin', 'example-app.ts'))})`], {
      cwd,
      timeout: 60_000,
    });
    // THEN nothing was written
    expect(fs.readdirSync(cwd)).toEqual([]);
    // WHEN the app entry runs as the ROS CDK CLI runs it (CDK_OUTDIR set)
    const run = spawnSync(process.execPath, [tsNode, '--transpile-only', path.join(ROOT, 'bin', 'app.ts')], {
      cwd: ROOT,
      env: { ...process.env, CDK_OUTDIR: outdir },
      timeout: 60_000,
    });
    // THEN it wrote a loadable assembly and printed its summary
    expect(run.status).toBe(0);
    const stdout = run.stdout.toString('utf8');
    expect(stdout).toMatch(new RegExp(`^${EXAMPLE_DEFAULTS.stackName}: 20 resources, template \\d+ bytes -> `));
    expect(stdout).toContain('ALIYUN::FC3::Function');
    expect(stdout).toContain('permissions (3 principals; 1 managed policy, 2 inline policies):');
    expect(stdout).toContain('inline policy iprod-example-runtime-mns-invoke: 1 statement');
    for (const section of ['physical names', 'outputs', 'warnings', 'cost drivers']) expect(stdout).toContain(`  ${section} (`);
    expect(new cxapi.CloudAssembly(outdir).getStackByName(EXAMPLE_DEFAULTS.stackName).template.Resources).toBeDefined();
  });
});
