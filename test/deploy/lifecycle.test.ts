import { deployCommand, destroyCommand, diffCommand, EXIT_FAILED, EXIT_OK, EXIT_REFUSED } from '../../lib/deploy/cli';
import { ManualClock } from '../endpoint/clock';
import { LocalRos } from '../ros-endpoint';
import { capture, editedCopy, rosWithClock, synthExample } from './support';

const STACK = 'IProductionExample';

/** The example app through its whole life, in order: each step starts from where the previous one left the stack. */
describe('deploy, redeploy, gated change, diff and destroy of the example app', () => {
  let ros: LocalRos;
  let clock: ManualClock;
  let app: string;
  let broadened: string;
  const endpoint = () => ['--endpoint', ros.endpoint, '--protocol', 'http'];

  beforeAll(async () => {
    ({ ros, clock } = await rosWithClock());
    app = synthExample();
    // A broadening grant: the runtime role may also submit timeline-editing jobs.
    broadened = editedCopy(app, STACK, (t) => {
      t.Resources.ProductionRuntimeGrantsPolicy.Properties.PolicyDocument.Statement[0].Action.push('ice:SubmitMediaProducingJob');
    });
  });

  afterAll(async () => {
    await ros.close();
  });

  it('GIVEN no stack WHEN deploy --yes --outputs-file THEN the stack is created and its outputs are written', async () => {
    // GIVEN
    const io = capture(ros, clock);
    // WHEN
    const code = await deployCommand(['--app', app, ...endpoint(), '--yes', '--outputs-file', 'out.json'], io);
    // THEN
    expect(io.err).toBe('');
    expect(code).toBe(EXIT_OK);
    expect(io.out).toContain('new stack');
    expect(io.out).toContain('20 to add, 0 to modify, 0 to replace, 0 to remove');
    expect(io.out).toMatch(/\[\d+\/20\] .*CREATE_COMPLETE +ALIYUN::FC3::Trigger +ProductionRuntimeTrigger/);
    expect(io.out).toContain(`${STACK}: CREATE_COMPLETE`);
    const outputs = JSON.parse(io.files['out.json']);
    expect(Object.keys(outputs)).toEqual([STACK]);
    expect(outputs[STACK]).toMatchObject({
      InputBucketName: 'iprod-example-input',
      OutputBucketName: 'iprod-example-output',
      RuntimeRoleArn: `acs:ram::${ros.accountId}:role/iprod-example-runtime`,
    });
    expect(outputs[STACK].PipelineId).toMatch(/^[0-9a-f]{16}$/);
    const stack = ros.engine.find(STACK, 'cn-shanghai');
    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.resources.size).toBe(20);
    expect(ros.calls.CreateStack).toBe(1);
  });

  it('GIVEN the same assembly WHEN deploy again THEN it says unchanged, changes nothing and still writes outputs', async () => {
    // GIVEN
    const io = capture(ros, clock);
    const eventsBefore = ros.engine.find(STACK, 'cn-shanghai').events.length;
    // WHEN
    const code = await deployCommand(['--app', app, ...endpoint(), '--outputs-file', 'again.json'], io);
    // THEN
    expect(code).toBe(EXIT_OK);
    expect(io.out).toContain(`${STACK}: unchanged (CREATE_COMPLETE)`);
    expect(ros.calls.CreateChangeSet ?? 0).toBe(0);
    expect(ros.engine.find(STACK, 'cn-shanghai').events.length).toBe(eventsBefore);
    expect(JSON.parse(io.files['again.json'])[STACK].InputBucketName).toBe('iprod-example-input');
  });

  it('GIVEN the deployed assembly WHEN diff --fail THEN no differences and exit 0', async () => {
    const io = capture(ros, clock);
    const code = await diffCommand(['--app', app, ...endpoint(), '--fail'], io);
    expect(code).toBe(EXIT_OK);
    expect(io.out).toContain('no differences');
  });

  it('GIVEN a broadening grant WHEN diff --fail THEN it shows the added action for the runtime role and exits 1', async () => {
    const io = capture(ros, clock);
    const code = await diffCommand(['--app', broadened, ...endpoint(), '--fail'], io);
    expect(code).toBe(EXIT_FAILED);
    expect(io.out).toContain('~ ProductionRuntimeGrantsPolicy  ALIYUN::RAM::ManagedPolicy (PolicyDocument)');
    expect(io.out).toMatch(/role iprod-example-runtime {2}\[broadens permissions\]\n {4}\+ Allow ice:SubmitMediaProducingJob on \*\n/);
  });

  it('GIVEN a broadening grant WHEN deploy without --yes and without a terminal THEN exit 3 and the stack is unchanged', async () => {
    // GIVEN
    const io = capture(ros, clock);
    const before = ros.engine.find(STACK, 'cn-shanghai');
    const body = before.templateBody;
    const events = before.events.length;
    // WHEN
    const code = await deployCommand(['--app', broadened, ...endpoint()], io);
    // THEN
    expect(code).toBe(EXIT_REFUSED);
    expect(io.out).toContain('+ Allow ice:SubmitMediaProducingJob on *');
    expect(io.err).toContain('broadens RAM permissions');
    expect(io.err).toContain('re-run with --yes');
    expect(io.err).toContain('Nothing was changed');
    const after = ros.engine.find(STACK, 'cn-shanghai');
    expect(after.templateBody).toBe(body);
    expect(after.status).toBe('CREATE_COMPLETE');
    expect(after.events.length).toBe(events);
    expect(ros.calls.ExecuteChangeSet ?? 0).toBe(0);
    // The prepared change set is removed, not left behind.
    expect(ros.calls.DeleteChangeSet).toBe(1);
  });

  it('GIVEN a broadening grant WHEN a person on a terminal answers no THEN exit 3 and nothing changes', async () => {
    const questions: string[] = [];
    const io = capture(ros, clock, { interactive: true, prompt: async (q) => { questions.push(q); return 'n'; } });
    const code = await deployCommand(['--app', broadened, ...endpoint()], io);
    expect(code).toBe(EXIT_REFUSED);
    expect(questions).toEqual([`${STACK} broadens RAM permissions (marked above). Deploy it? (y/n) `]);
    expect(ros.calls.ExecuteChangeSet ?? 0).toBe(0);
  });

  it('GIVEN --require-approval any-change WHEN the stack would change THEN it is gated like a broadening one', async () => {
    const io = capture(ros, clock);
    const code = await deployCommand(['--app', broadened, ...endpoint(), '--require-approval', 'any-change'], io);
    expect(code).toBe(EXIT_REFUSED);
    expect(io.err).toContain('changes the stack');
  });

  it('GIVEN a broadening grant WHEN deploy --yes THEN the change set is applied and the stack updated', async () => {
    // GIVEN
    const io = capture(ros, clock);
    // WHEN
    const code = await deployCommand(['--app', broadened, ...endpoint(), '--yes'], io);
    // THEN
    expect(io.err).toBe('');
    expect(code).toBe(EXIT_OK);
    expect(io.out).toContain('0 to add, 1 to modify, 0 to replace, 0 to remove');
    expect(io.out).toMatch(/UPDATE_COMPLETE +ALIYUN::RAM::ManagedPolicy +ProductionRuntimeGrantsPolicy/);
    expect(io.out).toContain(`${STACK}: UPDATE_COMPLETE`);
    expect(ros.engine.find(STACK, 'cn-shanghai').templateBody).toContain('ice:SubmitMediaProducingJob');
    const diff = capture(ros, clock);
    expect(await diffCommand(['--app', broadened, ...endpoint(), '--fail'], diff)).toBe(EXIT_OK);
  });

  it('GIVEN the narrower assembly again WHEN deploy with --require-approval never THEN a narrowing change needs no approval', async () => {
    const io = capture(ros, clock);
    const code = await deployCommand(['--app', app, ...endpoint(), '--require-approval', 'never'], io);
    expect(code).toBe(EXIT_OK);
    expect(io.out).toContain('- Allow ice:SubmitMediaProducingJob on *');
    expect(io.out).not.toContain('[broadens permissions]');
  });

  it('GIVEN the deployed stack WHEN destroy without --yes and without a terminal THEN it refuses with exit 3', async () => {
    const io = capture(ros, clock);
    const code = await destroyCommand([STACK, '--app', app, ...endpoint()], io);
    expect(code).toBe(EXIT_REFUSED);
    expect(io.err).toContain(`${STACK}: refusing to destroy without --yes`);
    expect(ros.engine.find(STACK, 'cn-shanghai').status).toBe('UPDATE_COMPLETE');
  });

  it('GIVEN the deployed stack WHEN destroy --yes THEN it is deleted and waited for', async () => {
    const io = capture(ros, clock);
    const code = await destroyCommand([STACK, '--yes', '--app', app, ...endpoint()], io);
    expect(io.err).toBe('');
    expect(code).toBe(EXIT_OK);
    // The last resources' events can fall after the last poll before the stack vanishes (then ListStackEvents finds no
    // stack): the function, deleted earlier, is the one the output always shows; the engine shows the rest went.
    expect(io.out).toMatch(/DELETE_COMPLETE +ALIYUN::FC3::Function +ProductionRuntime\n/);
    expect(io.out).toContain(`${STACK}: destroyed`);
    expect(() => ros.engine.find(STACK, 'cn-shanghai')).toThrow(/could not be found/);
    const again = capture(ros, clock);
    expect(await destroyCommand([STACK, '--yes', ...endpoint(), '--region', 'cn-shanghai'], again)).toBe(EXIT_OK);
    expect(again.out).toContain('nothing to destroy');
  });
});
