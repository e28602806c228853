import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createExampleApp } from '../../bin/example-app';
import { DEFAULT_STS_KEY, startLocalIce, type LocalIce } from '../endpoint';
import { BundledFunction } from './bundle-driver';

/** What ROS would put in place of `Fn::GetAtt` of the pipeline: any MPS pipeline id. */
const RESOLVED_PIPELINE_ID = 'a54fdc9c9aab413caef0d1150f565e86';

/**
 * The function as deployed: the ZipFile, handler and environment come out of the synthesized example template
 * (built from dist/bundle/runtime.zip, which `npm test` rebuilds first), not from the sources.
 */
describe('the function in the synthesized example template', () => {
  let tmp: string;
  let ice: LocalIce;
  let fn: BundledFunction;
  let properties: Record<string, any>;
  let resources: any[];
  const context = { requestId: 'tpl-req', credentials: { ...DEFAULT_STS_KEY }, function: { timeout: 600 } };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iprod-template-'));
    const assembly = createExampleApp(path.join(tmp, 'cdk.out')).synth();
    const functions = assembly.stacks.flatMap((s) =>
      Object.values<any>((s.template as any).Resources ?? {}).filter((r) => r.Type === 'ALIYUN::FC::Function'),
    );
    expect(functions).toHaveLength(1);
    resources = assembly.stacks.flatMap((s) => Object.values<any>((s.template as any).Resources ?? {}));
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

  it('GIVEN the template THEN its handler names the bundle entry and it loads without node_modules', async () => {
    // THEN
    expect(properties.Handler).toBe('index.handler');
    expect((await fn.ready).standalone).toBe(true);
  });

  it('GIVEN a submit with the deployed environment THEN the job is scheduled on the pipeline with the UserData tags and reaches Success', async () => {
    // GIVEN
    const request = {
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: 'oss://iprod-example-input/input/sample.mp4' },
      Output: { Type: 'OSS', Media: 'oss://iprod-example-output/output/cover-{sequenceId}.png' },
    };
    // WHEN
    const submitted = await fn.invoke({ action: 'submit', request }, context);
    const jobId = submitted.JobId as string;
    const waited = await fn.invoke({ action: 'wait', jobId, timeoutSeconds: 30 }, context);
    // THEN
    expect(waited).toMatchObject({ JobId: jobId, Status: 'Success' });
    const params = ice.jobs.find((j) => j.jobId === jobId)!.params;
    expect(JSON.parse(params.ScheduleConfig)).toEqual({ PipelineId: RESOLVED_PIPELINE_ID });
    expect(JSON.parse(params.UserData)).toEqual(JSON.parse(properties.EnvironmentVariables.IPROD_USER_DATA_TAGS));
    expect(fn.logs.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ requestId: 'tpl-req', action: 'submit', jobId, outcome: 'ok' }),
      expect.objectContaining({ requestId: 'tpl-req', action: 'wait', jobId, outcome: 'ok', status: 'Success' }),
    ]);
  });

  it('GIVEN the JSON message the template\'s topic trigger delivers for a finished job THEN it answers the job\'s typed result', async () => {
    // GIVEN the one trigger of the template: the completions topic, JSON format
    const triggers = resources.filter((r) => r.Type === 'ALIYUN::FC::Trigger');
    expect(triggers).toHaveLength(1);
    expect(triggers[0].Properties).toMatchObject({ TriggerType: 'mns_topic', TriggerConfig: { notifyContentFormat: 'JSON' } });
    const topicName = resources.find((r) => r.Type === 'ALIYUN::MNS::Topic').Properties.TopicName;
    expect(JSON.stringify(triggers[0].Properties.SourceArn)).toContain(`:/topics/${topicName}`);
    // ...and a job that has finished
    const request = {
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: 'oss://iprod-example-input/input/sample.mp4' },
      Output: { Type: 'OSS', Media: 'oss://iprod-example-output/output/cover-{sequenceId}.png' },
    };
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
});
