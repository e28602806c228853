import { deployCommand, destroyCommand, diffCommand, EXIT_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from '../../lib/deploy/cli';
import { ManualClock } from '../endpoint/clock';
import { LocalRos } from '../ros-endpoint';
import { capture, rosWithClock, synthExample, templatesDir } from './support';

const BASE = { ROSTemplateFormatVersion: '2015-09-01' };

describe('deploy failures', () => {
  let ros: LocalRos;
  let clock: ManualClock;
  const endpoint = () => ['--endpoint', ros.endpoint, '--protocol', 'http', '--region', 'cn-shanghai'];

  beforeEach(async () => {
    ({ ros, clock } = await rosWithClock());
  });

  afterEach(async () => {
    await ros.close();
  });

  it('GIVEN a template with a resource missing a required property WHEN deploy THEN ROS refuses it naming the resource and property', async () => {
    // GIVEN
    const app = templatesDir({
      Bad: {
        ...BASE,
        Resources: {
          Queue: { Type: 'ALIYUN::MNS::Queue', Properties: { QueueName: 'iprod-bad-queue' } },
          BadFunction: { Type: 'ALIYUN::FC3::Function', Properties: { FunctionName: 'iprod-bad', Handler: 'index.handler', Code: { ZipFile: 'UEsFBg==' } } },
        },
      },
    });
    const io = capture(ros, clock);
    // WHEN
    const code = await deployCommand(['--app', app, ...endpoint(), '--yes'], io);
    // THEN
    expect(code).toBe(EXIT_FAILED);
    expect(io.err).toMatch(/StackValidationFailed: .*Resource \[BadFunction\] \(ALIYUN::FC3::Function\): Runtime: required but missing/);
    expect(ros.engine.all()).toHaveLength(0);
  });

  it.each([
    ['an unknown resource type', { Thing: { Type: 'ALIYUN::NOPE::Thing', Properties: {} } }, /Resource \[Thing\]: unsupported resource type ALIYUN::NOPE::Thing/],
    ['a Ref to nothing', { Topic: { Type: 'ALIYUN::MNS::Topic', Properties: { TopicName: { Ref: 'Missing' } } } }, /Resource \[Topic\]: Ref Missing names no parameter, resource or pseudo parameter/],
    ['a GetAtt of an attribute the type lacks', {
      Topic: { Type: 'ALIYUN::MNS::Topic', Properties: { TopicName: 'iprod-t' } },
      Queue: { Type: 'ALIYUN::MNS::Queue', Properties: { QueueName: { 'Fn::GetAtt': ['Topic', 'Colour'] } } },
    }, /Resource \[Queue\]: Fn::GetAtt Topic.Colour is not an attribute of ALIYUN::MNS::Topic/],
    ['an MNS property out of range', { Queue: { Type: 'ALIYUN::MNS::Queue', Properties: { QueueName: 'iprod-q', DelaySeconds: 700000 } } }, /Resource \[Queue\] \(ALIYUN::MNS::Queue\): DelaySeconds must be in range \[0, 604800\], got 700000/],
  ])('GIVEN %s WHEN deploy THEN it fails naming the resource', async (_what, resources, message) => {
    const io = capture(ros, clock);
    const code = await deployCommand(['--app', templatesDir({ Bad: { ...BASE, Resources: resources } }), ...endpoint(), '--yes'], io);
    expect(code).toBe(EXIT_FAILED);
    expect(io.err).toMatch(message);
  });

  it('GIVEN a stack owning a bucket name WHEN another stack creates a bucket of that name THEN its deploy fails naming both', async () => {
    // GIVEN
    const example = synthExample();
    expect(await deployCommand(['--app', example, ...endpoint(), '--yes'], capture(ros, clock))).toBe(EXIT_OK);
    const other = templatesDir({
      OtherStack: {
        ...BASE,
        Resources: {
          OtherTopic: { Type: 'ALIYUN::MNS::Topic', Properties: { TopicName: 'iprod-other-topic' } },
          OtherBucket: { Type: 'ALIYUN::OSS::Bucket', Properties: { BucketName: 'iprod-example-input' } },
        },
      },
    });
    const io = capture(ros, clock);
    // WHEN
    const code = await deployCommand(['--app', other, ...endpoint(), '--yes'], io);
    // THEN
    expect(code).toBe(EXIT_FAILED);
    expect(io.err).toContain('OtherStack: ROLLBACK_COMPLETE');
    expect(io.err).toContain(
      'OtherBucket (ALIYUN::OSS::Bucket) CREATE_FAILED: OSS bucket name "iprod-example-input" is already used by ProductionInput of stack IProductionExample',
    );
    // The rollback removed what the failed stack had created; the first stack is untouched.
    const failed = ros.engine.find('OtherStack', 'cn-shanghai');
    expect(failed.resources.size).toBe(0);
    expect(ros.engine.find('IProductionExample', 'cn-shanghai').resources.get('ProductionInput')?.status).toBe('CREATE_COMPLETE');
  });

  it('GIVEN RAM names are account-wide WHEN a stack in another region reuses a role name THEN it fails; an MNS topic name there does not', async () => {
    const first = templatesDir({ A: { ...BASE, Resources: { Role: { Type: 'ALIYUN::RAM::Role', Properties: { RoleName: 'iprod-shared', AssumeRolePolicyDocument: { Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }] } } }, Topic: { Type: 'ALIYUN::MNS::Topic', Properties: { TopicName: 'iprod-shared' } } } } });
    expect(await deployCommand(['--app', first, ...endpoint(), '--yes'], capture(ros, clock))).toBe(EXIT_OK);
    const topicOnly = templatesDir({ B: { ...BASE, Resources: { Topic: { Type: 'ALIYUN::MNS::Topic', Properties: { TopicName: 'iprod-shared' } } } } });
    const elsewhere = ['--endpoint', ros.endpoint, '--protocol', 'http', '--region', 'cn-beijing', '--yes'];
    expect(await deployCommand(['--app', topicOnly, ...elsewhere], capture(ros, clock))).toBe(EXIT_OK);
    const role = templatesDir({ C: { ...BASE, Resources: { Role: { Type: 'ALIYUN::RAM::Role', Properties: { RoleName: 'iprod-shared', AssumeRolePolicyDocument: { Version: '1', Statement: [] } } } } } });
    const io = capture(ros, clock);
    expect(await deployCommand(['--app', role, ...elsewhere], io)).toBe(EXIT_FAILED);
    expect(io.err).toContain('is already used by Role of stack A');
  });

  it('GIVEN ROS throttles WHEN deploy THEN the calls are retried with backoff and the deploy completes', async () => {
    // GIVEN
    ros.throttleNext('ListStacks', 2);
    ros.failNext('GetStack', 1);
    const io = capture(ros, clock);
    const before = clock.now();
    // WHEN
    const code = await deployCommand(['--app', synthExample(), ...endpoint(), '--yes'], io);
    // THEN
    expect(code).toBe(EXIT_OK);
    expect(io.err).toContain('ListStacks answered Throttling.User; retry 1 in 50 ms');
    expect(io.err).toContain('ListStacks answered Throttling.User; retry 2 in 100 ms');
    expect(io.err).toContain('GetStack answered ServiceUnavailable; retry 1 in 50 ms');
    expect(ros.calls.ListStacks).toBe(3);
    expect(clock.now()).toBeGreaterThan(before);
  });

  it('GIVEN the answer to CreateStack is lost WHEN the call is retried with its ClientToken THEN exactly one stack exists', async () => {
    // GIVEN: ROS creates the stack, then the connection drops before the answer arrives
    ros.dropAnswerNext('CreateStack', 1);
    const io = capture(ros, clock);
    // WHEN
    const code = await deployCommand(['--app', synthExample(), ...endpoint(), '--yes'], io);
    // THEN: the retry carried the same token and was answered with the first stack
    expect(code).toBe(EXIT_OK);
    expect(ros.calls.CreateStack).toBe(2);
    expect(io.err).toMatch(/CreateStack answered (ECONNRESET|an error); retry 1/);
    expect(ros.engine.all().filter((s) => s.name === 'IProductionExample')).toHaveLength(1);
  });

  it('GIVEN a resource that fails to delete WHEN destroy --yes THEN it exits 1 naming the resource and its reason', async () => {
    await ros.close();
    ({ ros, clock } = await rosWithClock({ failWhen: (op) => (op.action === 'DELETE' && op.logicalId === 'ProductionInput' ? 'The bucket you tried to delete is not empty.' : undefined) }));
    expect(await deployCommand(['--app', synthExample(), ...endpoint(), '--yes'], capture(ros, clock))).toBe(EXIT_OK);
    const io = capture(ros, clock);
    const code = await destroyCommand(['IProductionExample', '--yes', ...endpoint()], io);
    expect(code).toBe(EXIT_FAILED);
    expect(io.err).toContain('ProductionInput (ALIYUN::OSS::Bucket) DELETE_FAILED: The bucket you tried to delete is not empty.');
  });

  it('GIVEN a broadening change WHEN a person on a terminal answers yes THEN it is applied', async () => {
    // GIVEN
    const role = (actions: string[]) => templatesDir({
      Gate: {
        ...BASE,
        Resources: {
          Role: {
            Type: 'ALIYUN::RAM::Role',
            Properties: {
              RoleName: 'iprod-gate', AssumeRolePolicyDocument: { Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }] },
              Policies: [{ PolicyName: 'iprod-gate', PolicyDocument: { Version: '1', Statement: [{ Effect: 'Allow', Action: actions, Resource: ['*'] }] } }],
            },
          },
        },
      },
    });
    expect(await deployCommand(['--app', role(['ice:QueryIProductionJob']), ...endpoint(), '--yes'], capture(ros, clock))).toBe(EXIT_OK);
    const asked: string[] = [];
    const io = capture(ros, clock, { interactive: true, prompt: async (q) => { asked.push(q); return 'yes'; } });
    // WHEN
    const code = await deployCommand(['--app', role(['ice:QueryIProductionJob', 'ice:SubmitIProductionJob']), ...endpoint()], io);
    // THEN
    expect(code).toBe(EXIT_OK);
    expect(asked).toEqual(['Gate broadens RAM permissions (marked above). Deploy it? (y/n) ']);
    expect(io.out).toContain('+ Allow ice:SubmitIProductionJob on *');
    expect(io.out).toContain('Gate: UPDATE_COMPLETE');
    expect(ros.engine.find('Gate', 'cn-shanghai').templateBody).toContain('ice:SubmitIProductionJob');
  });

  it.each([
    [['deploy', '--require-approval', 'sometimes'], /--require-approval must be one of never, broadening, any-change, got "sometimes"/],
    [['deploy', '--protocol', 'ftp'], /--protocol must be https or http, got "ftp"/],
    [['deploy', '--endpoint', 'http://x'], /--endpoint must be HOST\[:PORT\] without a scheme/],
    [['deploy', '--timeout-minutes', '5'], /--timeout-minutes must be a whole number of minutes from 10 to 1440/],
    [['deploy', '--parameters', 'novalue'], /--parameters takes \[STACK:\]KEY=VALUE, got "novalue"/],
    [['deploy', '--parameters', 'Nope=1', '--app', 'APP'], /no stack being deployed declares a parameter Nope/],
    [['deploy', 'Missing', '--app', 'APP'], /no stack named "Missing"/],
    [['destroy'], /destroy needs the name of each stack/],
    [['diff', '--yes'], /unknown option --yes for diff/],
  ])('GIVEN %j THEN exit 2 with a message naming the option', async (argv, message) => {
    const [command, ...rest] = argv as string[];
    const run = command === 'deploy' ? deployCommand : command === 'diff' ? diffCommand : destroyCommand;
    const io = capture(ros, clock);
    const code = await run(rest.map((a) => (a === 'APP' ? synthExample() : a)), io);
    expect(code).toBe(EXIT_USAGE);
    expect(io.err).toMatch(message);
  });

  it('GIVEN an assembly directory that does not exist WHEN deploy THEN exit 2 telling to synth first', async () => {
    const io = capture(ros, clock);
    expect(await deployCommand(['--app', '/nonexistent/cdk.out', ...endpoint()], io)).toBe(EXIT_USAGE);
    expect(io.err).toContain('run `npm run synth` first');
  });

  it('GIVEN declared parameters WHEN deploy --parameters STACK:KEY=VALUE then diff THEN ROS gets them and diff sees a changed value', async () => {
    const app = templatesDir({
      Params: {
        ...BASE,
        Parameters: { TopicName: { Type: 'String', Default: 'iprod-default-topic' } },
        Resources: { Topic: { Type: 'ALIYUN::MNS::Topic', Properties: { TopicName: { Ref: 'TopicName' } } } },
        Outputs: { Name: { Value: { 'Fn::Sub': 'topic ${Topic}' } } },
      },
    });
    const io = capture(ros, clock);
    expect(await deployCommand(['--app', app, ...endpoint(), '--yes', '--parameters', 'Params:TopicName=iprod-given-topic', '--outputs-file', 'o.json'], io)).toBe(EXIT_OK);
    expect(JSON.parse(io.files['o.json'])).toEqual({ Params: { Name: 'topic iprod-given-topic' } });
    const diff = capture(ros, clock);
    expect(await diffCommand(['--app', app, ...endpoint(), '--fail'], diff)).toBe(EXIT_FAILED);
    expect(diff.out).toContain('~ TopicName: "iprod-given-topic" -> "iprod-default-topic"');
  });
});
