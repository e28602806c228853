import * as fs from 'fs';
import * as path from 'path';
import * as cxapi from '@alicloud/ros-cdk-cxapi';
import { startLocalIce, type LocalIce } from '../endpoint';
import { parseEndpointsArgs, startEndpoints, type RunningEndpoints } from '../local-endpoints/cli';
import { ROOT } from '../support/checkout';
import { compileDocApp, createDocApp, docAppCwd, runDocApp, type Compiled, type DocApp, type DocRunResult } from '../support/doc-app';
import { docBlocks, squash, type DocBlock } from '../support/doc-examples';

/**
 * Every TypeScript example of README.md and docs/*.md, compiled (one tsc run, strict) and run (one Node process)
 * as written, importing `ros-cdk-iproduction` as a user's app does (test/support/doc-app.ts), and printing what its
 * comments say it prints. Examples that call services run against the local endpoints over 127.0.0.1, configured
 * only through the environment variables their doc tells the reader to set. (test/docs/blocks.test.ts accounts for the
 * blocks that are not TypeScript.)
 */

interface Services {
  readonly ice: LocalIce;
  readonly endpoints: RunningEndpoints;
}

/** What an example needs besides its code: matched by doc and a piece of the example's text. */
interface Context {
  readonly doc: string;
  readonly contains: string;
  /** Variables the doc tells the reader to set (each name must appear in the doc). */
  readonly env?: (s: Services) => Record<string, string>;
  /** Runs in the directory of the first example containing this text (after it), not in a fresh one. */
  readonly cwdOf?: string;
}

const iceEnv = ({ ice }: Services) => ({
  ICE_ENDPOINT: ice.endpoint,
  ICE_PROTOCOL: 'http',
  ALIBABA_CLOUD_ACCESS_KEY_ID: ice.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: ice.accessKeySecret,
});

const CONTEXTS: readonly Context[] = [
  { doc: 'docs/runtime-client.md', contains: 'new IProductionClient(', env: iceEnv },
  { doc: 'docs/runtime-handler.md', contains: 'createHandler(', env: iceEnv },
  {
    doc: 'docs/ledger.md',
    contains: 'new JobLedger(',
    env: ({ endpoints: { ots } }) => ({
      OTS_ENDPOINT: ots.endpoint,
      OTS_INSTANCE: ots.instanceName,
      ALIBABA_CLOUD_ACCESS_KEY_ID: ots.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: ots.accessKeySecret,
    }),
  },
  {
    doc: 'docs/ledger.md',
    contains: 'new MnsPublisher(',
    env: ({ endpoints: { mns } }) => ({
      MNS_ENDPOINT: mns.endpoint,
      FC_ACCOUNT_ID: mns.accountId,
      ALIBABA_CLOUD_ACCESS_KEY_ID: mns.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: mns.accessKeySecret,
    }),
  },
  // "npm run synth writes cdk.out/" first: in an app, that is the app itself, here the README's five-line app.
  { doc: 'docs/policy.md', contains: "reviewAssembly('cdk.out', {", cwdOf: "new IntelligentProductionStack(app, 'Media'" },
];

/** Each distinct example once (test/docs/said-once.test.ts keeps pages from repeating one), named for its first place. */
interface Example {
  readonly name: string;
  readonly code: string;
  readonly blocks: DocBlock[];
  readonly context?: Context;
}

const slug = (doc: string) => doc.replace(/^docs\//, '').replace(/\.md$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');

function examplesOf(blocks: readonly DocBlock[]): Example[] {
  const out: Example[] = [];
  for (const block of blocks) {
    const same = out.find((e) => e.code === block.code);
    if (same) {
      same.blocks.push(block);
      continue;
    }
    const contexts = CONTEXTS.filter((c) => c.doc === block.doc && block.code.includes(c.contains));
    if (contexts.length > 1) throw new Error(`${block.doc} example ${block.ordinal} matches ${contexts.length} contexts`);
    out.push({ name: `${slug(block.doc)}-${block.ordinal}`, code: block.code, blocks: [block], context: contexts[0] });
  }
  return out;
}

/** The doc's text `npm run local-endpoints -- ...` flags (the ports aside: any free one). */
function localEndpointsFlags(doc: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  const m = /`npm run local-endpoints -- ([^`]+)`/.exec(text);
  if (!m) throw new Error(`${doc} shows no \`npm run local-endpoints -- ...\` command`);
  return m[1].split(/\s+/);
}

describe('README and docs TypeScript examples', () => {
  const blocks = docBlocks(ROOT);
  const examples = examplesOf(blocks);
  let services: Services;
  let app: DocApp;
  let compiled: Compiled;
  let results: Map<string, DocRunResult>;
  let runMs = 0;

  beforeAll(async () => {
    const ice = await startLocalIce({ timing: { queuingMs: 20, runningMs: 50 } });
    const endpoints = await startEndpoints({ ...parseEndpointsArgs(localEndpointsFlags('docs/ledger.md')), otsPort: 0, mnsPort: 0 });
    services = { ice, endpoints };
    // GIVEN every example in a file of its own, in an app that installed the package
    app = createDocApp(examples.map((e) => ({ name: e.name, code: e.code })));
    // WHEN tsc compiles them all, and one process runs each, in order, as `node build/<example>.js` would
    compiled = await compileDocApp(app);
    const started = Date.now();
    const cwdOf = (text: string) => docAppCwd(app, examples.find((e) => e.code.includes(text))!.name);
    results = await runDocApp(app, examples.map((e) => ({
      name: e.name,
      env: e.context?.env?.(services) ?? {},
      cwd: e.context?.cwdOf ? cwdOf(e.context.cwdOf) : undefined,
    })));
    runMs = Date.now() - started;
  }, 180_000);

  afterAll(async () => {
    await services?.ice.close();
    await services?.endpoints.close();
    if (app) fs.rmSync(app.dir, { recursive: true, force: true });
  });

  it('finds the examples, and compiling and running them all stays quick', () => {
    expect(examples.length).toBeGreaterThanOrEqual(20);
    expect(compiled.other).toEqual([]);
    const slowest = [...results.values()].sort((a, b) => b.ms - a.ms).slice(0, 4).map((r) => `${r.id} ${r.ms} ms`);
    console.log(`${blocks.length} blocks, ${examples.length} distinct: tsc ${compiled.ms} ms, run ${runMs} ms (slowest: ${slowest.join(', ')})`);
  });

  it.each(CONTEXTS.map((c) => [c.doc, c.contains, c] as const))('%s: the example with %s exists and its doc names the variables set for it', (doc, _, context) => {
    expect(examples.filter((e) => e.context === context).length).toBeGreaterThanOrEqual(1);
    const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
    const fake = { ice: { endpoint: '', accessKeyId: '', accessKeySecret: '' }, endpoints: { ots: {}, mns: {} } } as unknown as Services;
    for (const name of Object.keys(context.env?.(fake) ?? {})) expect({ doc, mentions: name, found: text.includes(name) }).toEqual({ doc, mentions: name, found: true });
  });

  it.each(blocks.map((b) => [b.doc, b.ordinal, b.line, b] as const))(
    '%s example %d (line %d) compiles and runs as written, printing what its comments say', (_doc, _n, _line, block) => {
      const example = examples.find((e) => e.blocks.includes(block))!;
      const result = results.get(example.name)!;
      // THEN tsc found nothing wrong, the run threw nothing, left nothing open, and printed what the comments say
      expect({ diagnostics: compiled.diagnostics.get(example.name) }).toEqual({ diagnostics: [] });
      expect({ errors: result.errors, stderr: result.stderr, pending: result.pending, exitCode: result.exitCode ?? 0 }).toEqual({
        errors: [], stderr: '', pending: [], exitCode: 0,
      });
      expect(squash(result.stdout)).toBe(squash(block.expected.join(' ')));
    });

  describe('what the examples did, beyond what they print', () => {
    const resources = (name: string, stack: string): any[] =>
      Object.values<any>(new cxapi.CloudAssembly(path.join(docAppCwd(app, name), 'cdk.out')).getStackByName(stack).template.Resources);
    const named = (text: string) => examples.find((e) => e.code.includes(text))!.name;

    it('README.md: the five-line example deploys what docs/constructs.md says it does', () => {
      const r = resources(named("new IntelligentProductionStack(app, 'Media'"), 'Media');
      expect(r.filter((x) => x.Type === 'ALIYUN::OSS::Bucket').map((b) => b.Properties.BucketName).sort()).toEqual(['acme-media-input', 'acme-media-output']);
      expect(r.filter((x) => x.Type === 'ALIYUN::MNS::Queue').map((q) => q.Properties.QueueName)).toEqual(['acme-media-failed-invocations']);
      expect(r.find((x) => x.Type === 'ALIYUN::MNS::Topic').Properties.TopicName).toBe('acme-media-completions');
      expect(r.find((x) => x.Type === 'ALIYUN::MPS::Pipeline').Properties).toMatchObject({
        Name: 'acme-media-pipeline',
        NotifyConfig: { Topic: 'acme-media-completions' },
      });
      expect(r.find((x) => x.Type === 'ALIYUN::FC3::Function').Properties.FunctionName).toBe('acme-media-handler');
      const trigger = r.find((x) => x.Type === 'ALIYUN::FC3::Trigger').Properties;
      expect(trigger.TriggerType).toBe('mns_topic');
      expect(JSON.stringify(trigger.SourceArn)).toContain(':/topics/acme-media-completions');
      const invokeRole = r.find((x) => x.Type === 'ALIYUN::RAM::Role' && x.Properties.RoleName === 'acme-media-runtime-mns').Properties;
      expect(invokeRole.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal)).toEqual([{ Service: ['mns.aliyuncs.com'] }]);
      expect(invokeRole.Policies.flatMap((p: any) => p.PolicyDocument.Statement.flatMap((s: any) => s.Action))).toEqual(['fc:InvokeFunction']);
      // "nothing else": the function's role may submit/query and send failed invocations to its queue.
      const runtimePolicy = r.find((x) => x.Type === 'ALIYUN::RAM::ManagedPolicy');
      expect(runtimePolicy.Properties.PolicyDocument.Statement.flatMap((s: any) => s.Action).sort()).toEqual([
        'ice:QueryIProductionJob',
        'ice:SubmitIProductionJob',
        'mns:SendMessage',
      ]);
    });

    it('docs/constructs.md: the composition example grants the app role what its comments say', () => {
      const r = resources(named("new ros.Stack(app, 'Video'"), 'Video');
      expect(r.filter((x) => x.Type === 'ALIYUN::OSS::Bucket')).toHaveLength(0);
      expect(r.filter((x) => x.Type === 'ALIYUN::MNS::Queue').map((q) => q.Properties.QueueName).sort()).toEqual(['acme-video-failed-invocations', 'ice-callback-acme-video']);
      expect(r.filter((x) => x.Type === 'ALIYUN::FC3::Trigger')).toHaveLength(0);
      const runtimePolicy = r.find((x) => x.Type === 'ALIYUN::RAM::ManagedPolicy' && JSON.stringify(x.Properties.Roles) !== '["acme-video-app"]');
      expect(JSON.stringify(runtimePolicy.Properties.PolicyDocument)).not.toContain('ice-callback');
      expect(JSON.stringify(runtimePolicy.Properties.PolicyDocument)).not.toContain('mns:ReceiveMessage');
      const appPolicy = r.find((x) => x.Type === 'ALIYUN::RAM::ManagedPolicy' && JSON.stringify(x.Properties.Roles) === '["acme-video-app"]');
      const statements = appPolicy.Properties.PolicyDocument.Statement.map((s: any) => ({ Action: s.Action, Resource: s.Resource }));
      expect(statements).toEqual(
        expect.arrayContaining([
          { Action: ['ice:QueryIProductionJob', 'ice:SubmitIProductionJob'], Resource: ['*'] },
          { Action: ['oss:AbortMultipartUpload', 'oss:ListParts', 'oss:PutObject'], Resource: [expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([':acme-shared-media/uploads/*'])] })] },
          { Action: ['oss:GetObject'], Resource: [expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([':acme-shared-media/vertical/*'])] })] },
          { Action: ['mns:ChangeMessageVisibility', 'mns:DeleteMessage', 'mns:ReceiveMessage'], Resource: expect.any(Array) },
        ]),
      );
      expect(statements).toHaveLength(4);
      const consume = statements.find((s: any) => s.Action.includes('mns:ReceiveMessage'));
      expect(JSON.stringify(consume.Resource)).toContain(':/queues/ice-callback-acme-video');
    });

    it('docs/constructs-mns-mps-grants.md: the template holds the two statements the doc shows', () => {
      const r = resources(named('new NotificationQueue('), 'Media');
      const doc = fs.readFileSync(path.join(ROOT, 'docs', 'constructs-mns-mps-grants.md'), 'utf8');
      const shown = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)![1].replace(/\$\{(Region|AccountId)\}/g, '$1'));
      const policy = r.find((x) => x.Type === 'ALIYUN::RAM::ManagedPolicy').Properties.PolicyDocument.Statement;
      expect(policy.map((s: any) => s.Action)).toEqual(shown.map((s: any) => s.Action));
      expect(JSON.stringify(policy[1].Resource)).toContain(shown[1].Resource[0].replace(/^acs:mns:Region:AccountId:/, ''));
      expect(r.filter((x) => x.Type === 'ALIYUN::MNS::Subscription')).toHaveLength(2);
    });

    it('the client, handler and MPS examples reached the local endpoint with the jobs they submit', () => {
      const jobs = services.ice.jobs.map((j) => `${j.api} ${j.kind} ${j.params.FunctionName ?? ''}`.trim());
      expect(jobs).toEqual(expect.arrayContaining(['ice iproduction Cover', 'ice mediaProducing', 'mts iproduction ImageCartoonize']));
    });

    it('docs/ledger.md: the ledger example left its row delivered in the local Tablestore, the MNS example an empty queue', () => {
      const rows = services.endpoints.ots.rows('iprod_jobs');
      expect(rows.map((r) => [r.attributes.state, r.attributes.open])).toEqual([['Success', false]]);
      expect(services.endpoints.mns.published('results')).toHaveLength(1);
      expect(services.endpoints.mns.messages('app-inbox')).toEqual([]);
    });
  });
});
