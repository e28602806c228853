import * as ros from '@alicloud/ros-cdk-core';
import * as fc3 from '@alicloud/ros-cdk-fc3';
import * as ots from '@alicloud/ros-cdk-ots';
import { RosApi } from '../../lib/deploy/ros-api';
import { manualClock, ManualClock } from '../endpoint/clock';
import { LocalRos, startLocalRos, TEMPLATE_MAX_BYTES, validateTemplate } from '.';

const BASE = { ROSTemplateFormatVersion: '2015-09-01' };
const topic = (name: string) => ({ Type: 'ALIYUN::MNS::Topic', Properties: { TopicName: name } });

async function failure(p: Promise<unknown>): Promise<{ code?: string; statusCode?: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: string; statusCode?: number; data?: { Message?: string }; message: string };
    return { code: e.code, statusCode: e.statusCode, message: e.data?.Message ?? e.message };
  }
  throw new Error('expected the call to fail');
}

describe('local ROS endpoint over the official SDK', () => {
  let server: LocalRos;
  let clock: ManualClock;
  let api: RosApi;

  beforeEach(async () => {
    clock = manualClock(Date.now());
    server = await startLocalRos({ now: clock.now, stepMs: 100 });
    api = new RosApi({
      region: 'cn-hangzhou', endpoint: server.endpoint, protocol: 'http', retry: { retries: 0 },
      credential: { accessKeyId: server.accessKeyId, accessKeySecret: server.accessKeySecret },
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it('GIVEN a wrong secret WHEN a call is signed with it THEN SignatureDoesNotMatch (403)', async () => {
    const forged = new RosApi({ region: 'cn-hangzhou', endpoint: server.endpoint, protocol: 'http', retry: { retries: 0 }, credential: { accessKeyId: server.accessKeyId, accessKeySecret: 'wrong' } });
    const e = await failure(forged.findStack('Any'));
    expect(e).toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 403 });
  });

  it('GIVEN a stack WHEN the clock moves THEN it goes CREATE_IN_PROGRESS to CREATE_COMPLETE with an event per step', async () => {
    // GIVEN
    const id = await api.createStack({ stackName: 'Steps', templateBody: JSON.stringify({ ...BASE, Resources: { A: topic('iprod-a'), B: topic('iprod-b') } }), parameters: {}, clientToken: 't1' });
    // THEN
    expect((await api.getStack(id)).status).toBe('CREATE_IN_PROGRESS');
    clock.advance(250);
    expect((await api.getStack(id)).status).toBe('CREATE_IN_PROGRESS');
    clock.advance(1000);
    expect((await api.getStack(id)).status).toBe('CREATE_COMPLETE');
    const events = await api.newEvents(id, new Set());
    expect(events.map((e) => `${e.logicalResourceId} ${e.status}`)).toEqual([
      'Steps CREATE_IN_PROGRESS', 'A CREATE_IN_PROGRESS', 'A CREATE_COMPLETE', 'B CREATE_IN_PROGRESS', 'B CREATE_COMPLETE', 'Steps CREATE_COMPLETE',
    ]);
  });

  it('GIVEN one ClientToken WHEN CreateStack is sent twice THEN one stack; with another template THEN InvalidIdempotenceParameter', async () => {
    const body = JSON.stringify({ ...BASE, Resources: { A: topic('iprod-a') } });
    const first = await api.createStack({ stackName: 'Once', templateBody: body, parameters: {}, clientToken: 'same' });
    const second = await api.createStack({ stackName: 'Once', templateBody: body, parameters: {}, clientToken: 'same' });
    expect(second).toBe(first);
    expect(server.engine.all()).toHaveLength(1);
    const e = await failure(api.createStack({ stackName: 'Once', templateBody: JSON.stringify({ ...BASE, Resources: {} }), parameters: {}, clientToken: 'same' }));
    expect(e.code).toBe('InvalidIdempotenceParameter');
    const exists = await failure(api.createStack({ stackName: 'Once', templateBody: body, parameters: {}, clientToken: 'other' }));
    expect(exists).toMatchObject({ code: 'StackExists', statusCode: 409 });
  });

  it('GIVEN a template over 524,288 bytes WHEN CreateStack THEN InvalidParameter naming TemplateBody and its size', async () => {
    const big = JSON.stringify({ ...BASE, Description: 'x'.repeat(TEMPLATE_MAX_BYTES), Resources: {} });
    const e = await failure(api.createStack({ stackName: 'Big', templateBody: big, parameters: {}, clientToken: 'big' }));
    expect(e.code).toBe('InvalidParameter');
    expect(e.message).toContain(`TemplateBody is invalid, its length ${Buffer.byteLength(big)} bytes exceeds 524288 bytes`);
  });

  it('GIVEN a deployed stack WHEN a change set renames a bucket THEN the change set reports a replacement; the same template is NotSupported', async () => {
    // GIVEN
    const bucket = (name: string) => JSON.stringify({ ...BASE, Resources: { Bucket: { Type: 'ALIYUN::OSS::Bucket', Properties: { BucketName: name } }, T: topic('iprod-t') } });
    const id = await api.createStack({ stackName: 'Cs', templateBody: bucket('iprod-one'), parameters: {}, clientToken: 'cs' });
    clock.advance(2000);
    expect((await api.getStack(id)).status).toBe('CREATE_COMPLETE');
    // WHEN
    const cs = await api.createChangeSet({ stackId: id, changeSetName: 'rename', templateBody: bucket('iprod-two'), parameters: {}, clientToken: 'cs1' });
    // THEN
    expect((await api.getChangeSet(cs)).status).toBe('CREATE_IN_PROGRESS');
    clock.advance(100);
    const ready = await api.getChangeSet(cs);
    expect(ready).toMatchObject({ status: 'CREATE_COMPLETE', executionStatus: 'AVAILABLE' });
    expect(ready.changes).toEqual([{
      Type: 'Resource',
      ResourceChange: expect.objectContaining({
        Action: 'Modify', LogicalResourceId: 'Bucket', ResourceType: 'ALIYUN::OSS::Bucket', Replacement: 'True', PhysicalResourceId: 'iprod-one',
      }),
    }]);
    const same = await failure(api.createChangeSet({ stackId: id, changeSetName: 'same', templateBody: bucket('iprod-one'), parameters: {}, clientToken: 'cs2' }));
    expect(same).toMatchObject({ code: 'NotSupported', message: 'Update the completely same stack' });
  });

  it('GIVEN FC 3.0 and Tablestore resources from their ROS CDK packages WHEN validated THEN accepted, with GetAtt of their attributes', () => {
    // GIVEN
    const app = new ros.App({ outdir: '/nonexistent-never-synthesized' });
    const stack = new ros.Stack(app, 'Fc3');
    const fn = new fc3.Function(stack, 'Fn', { functionName: 'iprod-fc3', handler: 'index.handler', runtime: 'nodejs18', code: { zipFile: 'UEsFBg==' } });
    const instance = new ots.Instance(stack, 'Ledger', { instanceName: 'iprodledger' });
    new ros.RosOutput(stack, 'FunctionArn', { value: fn.attrArn });
    new ros.RosOutput(stack, 'LedgerName', { value: instance.attrInstanceName });
    const template = stack.resolve((stack as unknown as { _toRosTemplate(): unknown })._toRosTemplate());
    // WHEN
    const v = validateTemplate(JSON.stringify(template));
    // THEN
    expect(Object.keys(v.template.Resources).sort()).toEqual(['Fn', 'Ledger']);
    const wrong = { ...(template as object), Outputs: { X: { Value: { 'Fn::GetAtt': ['Fn', 'Colour'] } } } };
    expect(() => validateTemplate(JSON.stringify(wrong))).toThrow('Output [X]: Fn::GetAtt Fn.Colour is not an attribute of ALIYUN::FC3::Function (it has ARN, FunctionId, FunctionName)');
  });

  it.each([
    ['a missing parameter', { Parameters: { Name: { Type: 'String' } }, Resources: { T: { Type: 'ALIYUN::MNS::Topic', Properties: { TopicName: { Ref: 'Name' } } } } }, 'Parameter [Name]: no value was given and it has no Default'],
    ['a cycle', { Resources: { A: { ...topic('a'), DependsOn: 'B' }, B: { ...topic('b'), DependsOn: 'A' } } }, 'circular dependency between resources A, B'],
    ['a wrong format version', { ROSTemplateFormatVersion: '2010-09-09', Resources: {} }, 'ROSTemplateFormatVersion must be 2015-09-01, got "2010-09-09"'],
    ['a DependsOn to nothing', { Resources: { A: { ...topic('a'), DependsOn: 'Ghost' } } }, 'Resource [A]: DependsOn names "Ghost", which is not a resource of the template'],
    ['an output without a value', { Resources: {}, Outputs: { O: { Description: 'd' } } }, 'Output [O]: a Value must be defined'],
  ])('GIVEN %s THEN validation names it', (_what, body, message) => {
    expect(() => validateTemplate(JSON.stringify({ ...BASE, ...body }))).toThrow(message);
  });

  it('GIVEN 301 resources THEN refused (a stack holds at most 300)', () => {
    const resources: Record<string, unknown> = {};
    for (let i = 0; i < 301; i++) resources[`T${i}`] = topic(`iprod-${i}`);
    expect(() => validateTemplate(JSON.stringify({ ...BASE, Resources: resources }))).toThrow('the template has 301 resources; a stack holds at most 300');
  });
});
