import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createExampleApp, EXAMPLE_DEFAULTS } from '../../bin/example-app';
import { functionsOf } from '../../lib/jobs';
import { DEFAULT_STS_KEY, startLocalIce, type LocalIce } from '../endpoint';
import { BundledFunction } from './bundle-driver';

/** What ROS would put in place of `Fn::GetAtt` of the pipeline: any MPS pipeline id. */
const RESOLVED_PIPELINE_ID = 'a54fdc9c9aab413caef0d1150f565e86';
const INPUT = `oss://${EXAMPLE_DEFAULTS.namePrefix}-input/input`;
const OUTPUT = `oss://${EXAMPLE_DEFAULTS.namePrefix}-output/output`;

const PLATFORMS = [
  { platform: 'fc3', functionType: 'ALIYUN::FC3::Function', triggerType: 'ALIYUN::FC3::Trigger' },
  { platform: 'fc2', functionType: 'ALIYUN::FC::Function', triggerType: 'ALIYUN::FC::Trigger' },
] as const;

/**
 * The function as deployed, on FC 3.0 (the default) and FC 2.0: the ZipFile, handler and environment come out of the
 * synthesized example template (built from dist/bundle/runtime.zip, which `npm test` rebuilds first), not from the
 * sources, and the bundle runs in a fresh Node process as FC runs it.
 */
describe.each(PLATFORMS)('the function in the synthesized example template on $platform', ({ platform, functionType, triggerType }) => {
  let tmp: string;
  let ice: LocalIce;
  let fn: BundledFunction;
  let properties: Record<string, any>;
  let resources: any[];
  // FC 3.0's context: no service, the function's name, handler, memory and timeout.
  const context = {
    requestId: 'tpl-req',
    credentials: { ...DEFAULT_STS_KEY },
    function: { name: `${EXAMPLE_DEFAULTS.namePrefix}-handler`, handler: 'index.handler', memory: 256, timeout: 600 },
    region: EXAMPLE_DEFAULTS.region,
    accountId: '1234567890',
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-template-'));
    const assembly = createExampleApp(path.join(tmp, 'cdk.out'), { runtimeOptions: { platform } }).synth();
    resources = assembly.stacks.flatMap((s) => Object.values<any>((s.template as any).Resources ?? {}));
    const functions = resources.filter((r) => r.Type === functionType);
    expect(functions).toHaveLength(1);
    properties = functions[0].Properties;
    ice = await startLocalIce();
    // Literal variables as written; the pipeline's Fn::GetAtt as ROS would resolve it; the endpoint pointed here.
    const env: Record<string, string> = { ICE_ENDPOINT: ice.endpoint, ICE_PROTOCOL: 'http' };
    for (const [k, v] of Object.entries<unknown>(properties.EnvironmentVariables ?? {})) {
      env[k] = typeof v === 'string' ? v : k === 'IPROD_PIPELINE_ID' ? RESOLVED_PIPELINE_ID : JSON.stringify(v);
    }
    fn = BundledFunction.start(Buffer.from(properties.Code.ZipFile, 'base64'), path.join(tmp, 'code'), env);
  });
  afterAll(async () => {
    await fn?.stop();
    await ice?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function logsOf(requestId: string): any[] {
    return fn.logs.map((l) => JSON.parse(l)).filter((l) => l.requestId === requestId);
  }

  it('GIVEN the template THEN its handler names the bundle entry and it loads without node_modules', async () => {
    // THEN
    expect(properties.Handler).toBe('index.handler');
    expect((await fn.ready).standalone).toBe(true);
  });

  it('GIVEN a submit with the deployed environment THEN the job is scheduled on the pipeline with the UserData tags merged into its own, and reaches Success', async () => {
    // GIVEN
    const request = {
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: `${INPUT}/sample.mp4` },
      Output: { Type: 'OSS', Media: `${OUTPUT}/cover-{sequenceId}.png` },
      UserData: { app: 'mine' },
    };
    const ctx = { ...context, requestId: 'submit-ok' };
    // WHEN
    const submitted = await fn.invoke({ action: 'submit', request }, ctx);
    const jobId = submitted.JobId as string;
    const waited = await fn.invoke({ action: 'wait', jobId, timeoutSeconds: 30 }, ctx);
    // THEN
    expect(waited).toMatchObject({ JobId: jobId, Status: 'Success' });
    const params = ice.jobs.find((j) => j.jobId === jobId)!.params;
    expect(JSON.parse(params.ScheduleConfig)).toEqual({ PipelineId: RESOLVED_PIPELINE_ID });
    expect(JSON.parse(params.UserData)).toEqual({ ...JSON.parse(properties.EnvironmentVariables.IPROD_USER_DATA_TAGS), app: 'mine' });
    expect(logsOf('submit-ok')).toEqual([
      expect.objectContaining({ action: 'submit', jobId, outcome: 'ok' }),
      expect.objectContaining({ action: 'wait', jobId, outcome: 'ok', status: 'Success' }),
    ]);
  });

  it('GIVEN a preset by name and an input THEN the preset\'s request is submitted on that input with its output template', async () => {
    // GIVEN
    const input = `${INPUT}/talks/keynote.mp4`;
    const ctx = { ...context, requestId: 'preset-ok' };
    // WHEN
    const answer = await fn.invoke({ action: 'submit', preset: 'cover', input }, ctx);
    // THEN
    expect(answer).toMatchObject({ JobId: expect.any(String), preset: 'cover' });
    const job = ice.jobs.find((j) => j.jobId === answer.JobId)!;
    expect(job.params.FunctionName).toBe('Cover');
    expect(JSON.parse(job.params.Input)).toEqual({ Type: 'OSS', Media: input });
    // {objectDir} is ours, filled from the input's key; {source} and {sequenceId} are the service's
    expect(JSON.parse(job.params.Output)).toEqual({ Type: 'OSS', Media: `${OUTPUT}/input/talks/{source}-cover-{sequenceId}.png` });
    const waited = await fn.invoke({ action: 'wait', jobId: answer.JobId, timeoutSeconds: 30 }, ctx);
    expect(waited).toMatchObject({ Status: 'Success', OutputUrls: expect.arrayContaining([expect.stringContaining('/output/input/talks/keynote-cover-')]) });
    expect(logsOf('preset-ok')[0]).toMatchObject({ action: 'submit', preset: 'cover', outcome: 'ok' });
  });

  const unlisted = functionsOf('ice').find((f) => !(EXAMPLE_DEFAULTS.functions as readonly string[]).includes(f))!;
  it.each([
    ['a function the stack was not synthesized for', { action: 'submit', request: {
      FunctionName: unlisted, Input: { Type: 'OSS', Media: `${INPUT}/a.mp4` }, Output: { Type: 'OSS', Media: `${OUTPUT}/a.mp4` } } },
    'functions', 'FunctionName', unlisted],
    ['an input in a bucket the stack never named', { action: 'submit', request: {
      FunctionName: 'Cover', Input: { Type: 'OSS', Media: 'oss://payroll-archive/private/x.mp4' }, Output: { Type: 'OSS', Media: `${OUTPUT}/{source}.png` } } },
    'inputs', 'Input.Media', 'oss://payroll-archive/private/x.mp4'],
    ['an input outside the input prefix', { action: 'submit', request: {
      FunctionName: 'Cover', Input: { Type: 'OSS', Media: `oss://${EXAMPLE_DEFAULTS.namePrefix}-input/private/x.mp4` }, Output: { Type: 'OSS', Media: `${OUTPUT}/{source}.png` } } },
    'inputs', 'Input.Media', `oss://${EXAMPLE_DEFAULTS.namePrefix}-input/private/x.mp4`],
    ['an output in a bucket the stack never named', { action: 'submit', request: {
      FunctionName: 'Cover', Input: { Type: 'OSS', Media: `${INPUT}/x.mp4` }, Output: { Type: 'OSS', Media: 'oss://public-website/www/{source}.mp4' } } },
    'outputs', 'Output.Media', 'oss://public-website/www/{source}.mp4'],
    ['a preset that was not deployed', { action: 'submit', preset: 'leak', input: `${INPUT}/x.mp4` }, 'presets', 'preset', 'leak'],
    ['a preset on an input outside the stack', { action: 'submit', preset: 'cover', input: 'oss://payroll-archive/private/x.mp4' },
      'inputs', 'Input.Media', 'oss://payroll-archive/private/x.mp4'],
  ])('GIVEN %s THEN it is refused before any call with the rule and the value, and logged', async (name, event, rule, field, value) => {
    // GIVEN
    const jobsBefore = ice.jobs.length;
    const requestId = `refused-${rule}-${field}-${name.length}`;
    // WHEN
    const answer = await fn.invoke(event, { ...context, requestId });
    // THEN
    expect(answer).toEqual({
      error: expect.objectContaining({ code: 'RequestRefused', rule, field, value, message: expect.stringContaining(`refused by rule ${rule}:`) }),
    });
    expect((answer.error as any).message).toContain(JSON.stringify(value));
    expect(ice.jobs).toHaveLength(jobsBefore);
    expect(logsOf(requestId)).toEqual([
      expect.objectContaining({ action: 'submit', outcome: 'error:RequestRefused', refused: { rule, field, value } }),
    ]);
  });

  it('GIVEN UserData that cannot take the deployment\'s tags THEN it is a clear error before any call', async () => {
    // GIVEN
    const jobsBefore = ice.jobs.length;
    const request = {
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: `${INPUT}/x.mp4` },
      Output: { Type: 'OSS', Media: `${OUTPUT}/{source}.png` },
      UserData: { note: 'n'.repeat(200) },
    };
    // WHEN
    const answer = await fn.invoke({ action: 'submit', request }, context);
    // THEN
    expect(answer.error).toMatchObject({ code: 'InvalidRequest', message: expect.stringMatching(/UserData with the deployment's tags must be at most 256 characters, got \d+/) });
    expect(ice.jobs).toHaveLength(jobsBefore);
  });

  it('GIVEN the JSON message the template\'s topic trigger delivers for a finished job THEN it answers the job\'s typed result', async () => {
    // GIVEN the completions topic's trigger (JSON format); the others are the loop's uploads and sweep
    const triggers = resources.filter((r) => r.Type === triggerType && r.Properties.TriggerType === 'mns_topic');
    expect(triggers).toHaveLength(1);
    expect(triggers[0].Properties).toMatchObject({ TriggerType: 'mns_topic', TriggerConfig: { notifyContentFormat: 'JSON' } });
    const topicName = resources.find((r) => r.Type === 'ALIYUN::MNS::Topic' && r.Properties.TopicName.endsWith('-completions')).Properties.TopicName;
    expect(JSON.stringify(triggers[0].Properties.SourceArn)).toContain(`:/topics/${topicName}`);
    // ...and a job that has finished
    const request = { FunctionName: 'Cover', Input: { Type: 'OSS', Media: `${INPUT}/sample.mp4` }, Output: { Type: 'OSS', Media: `${OUTPUT}/cover-{sequenceId}.png` } };
    const { JobId } = await fn.invoke({ action: 'submit', request }, context);
    await fn.invoke({ action: 'wait', jobId: JobId, timeoutSeconds: 30 }, context);
    const message = { jobId: JobId, requestId: 'R', type: 'IProduction', state: 'Success', code: '', msg: '' };
    const event = {
      TopicOwner: '1234567890', TopicName: topicName, Subscriber: '1234567890', SubscriptionName: 'completions',
      MessageId: 'M-tpl', Message: JSON.stringify(message), MessageMD5: 'x', PublishTime: 1,
    };
    // WHEN
    const answer = await fn.invoke(event, context);
    // THEN
    expect(answer).toEqual({
      notification: expect.objectContaining({ source: 'mns-topic', jobId: JobId, reportedState: 'Success', messageId: 'M-tpl' }),
      job: expect.objectContaining({ JobId, Status: 'Success', FunctionName: 'Cover' }),
    });
  });

  it('GIVEN a timer event in FC\'s shape listing a finished job THEN it answers the job\'s status', async () => {
    // GIVEN
    const request = { FunctionName: 'Cover', Input: { Type: 'OSS', Media: `${INPUT}/t.mp4` }, Output: { Type: 'OSS', Media: `${OUTPUT}/t-{sequenceId}.png` } };
    const { JobId } = await fn.invoke({ action: 'submit', request }, context);
    await fn.invoke({ action: 'wait', jobId: JobId, timeoutSeconds: 30 }, context);
    const event = { triggerTime: '2026-11-28T05:00:00Z', triggerName: 'sweep', payload: JSON.stringify({ kind: 'iProduction', jobIds: [JobId] }) };
    // WHEN
    const answer = await fn.invoke(event, context);
    // THEN
    expect(answer).toMatchObject({ timer: { triggerName: 'sweep' }, summary: { Success: 1 }, jobs: [{ jobId: JobId, job: { Status: 'Success' } }] });
  });
});
