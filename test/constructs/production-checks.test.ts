import * as ros from '@alicloud/ros-cdk-core';
import * as fc from 'fast-check';
import {
  checkFunctions,
  checkServiceRegion,
  findOssUrls,
  measureTemplate,
  templateLimitProblems,
} from '../../lib/constructs/checks';
import { ICE_FUNCTIONS, MTS_FUNCTIONS } from '../../lib/jobs';
import { API_FACTS, ROS_LIMITS } from '../../lib/service';

const { templateMaxBytes: ROS_TEMPLATE_MAX_BYTES, stackMaxResources: ROS_STACK_MAX_RESOURCES } = ROS_LIMITS;

function stackIn(region?: string): ros.Stack {
  const app = new ros.App({ stackTraces: false });
  return new ros.Stack(app, 'Checks', region ? { env: { region } } : {});
}

describe('templateLimitProblems', () => {
  it.each([
    ['at both limits', ROS_TEMPLATE_MAX_BYTES, ROS_STACK_MAX_RESOURCES, []],
    ['one byte over', ROS_TEMPLATE_MAX_BYTES + 1, 1, ['template is 524289 bytes, over the ROS limit of 524288 bytes']],
    ['one resource over', 100, ROS_STACK_MAX_RESOURCES + 1, ['template has 301 resources, over the ROS limit of 300']],
    [
      'both over',
      600_000,
      400,
      ['template is 600000 bytes, over the ROS limit of 524288 bytes', 'template has 400 resources, over the ROS limit of 300'],
    ],
  ])('%s', (_name, bytes, resources, expected) => {
    expect(templateLimitProblems({ bytes, resources })).toEqual(expected);
  });

  it('measures UTF-8 bytes of the 2-space JSON written to cdk.out', () => {
    // GIVEN
    const template = { Resources: { A: { Type: 'T', Properties: { Name: 'é' } }, B: { Type: 'T' } } };
    // WHEN
    const figures = measureTemplate(template);
    // THEN
    expect(figures).toEqual({ bytes: Buffer.byteLength(JSON.stringify(template, undefined, 2)), resources: 2 });
    expect(figures.bytes).toBe(JSON.stringify(template, undefined, 2).length + 1);
  });
});

describe('checkServiceRegion', () => {
  it.each(API_FACTS.ice.regions.map((r) => [r]))('accepts %s without a warning', (region) => {
    const scope = new ros.Construct(stackIn(region), 'P');
    expect(checkServiceRegion(scope, 'ice')).toBe(region);
    expect(scope.node.metadata.filter((m) => m.type === 'aliyun:ros:warning')).toEqual([]);
  });

  it.each([
    ['ice', 'eu-central-1', /Checks\/P: stack region must be one where ICE intelligent production is offered \(cn-shanghai, .*\), got "eu-central-1"/],
    ['mts', 'ap-northeast-1', /Checks\/P: stack region must be one where MPS intelligent production is offered .*, got "ap-northeast-1"/],
  ] as const)('warns for api %s in %s, naming the region (the documented list is not exhaustive)', (api, region, message) => {
    // The region lists are "documented regions include" (FACTS.md) and no seed lists regions: warn, never refuse.
    const scope = new ros.Construct(stackIn(region), 'P');
    expect(checkServiceRegion(scope, api)).toBe(region);
    const warnings = scope.node.metadata.filter((m) => m.type === 'aliyun:ros:warning').map((m) => m.data);
    expect(warnings).toEqual([expect.stringMatching(message)]);
  });

  it('rejects an environment-agnostic stack', () => {
    expect(() => checkServiceRegion(new ros.Construct(stackIn(), 'P'), 'ice')).toThrow(/Checks\/P: the stack region must be set/);
  });
});

describe('checkFunctions', () => {
  it('accepts every catalogue function of each API, de-duplicated in order', () => {
    const scope = new ros.Construct(stackIn('cn-shanghai'), 'P');
    fc.assert(
      fc.property(fc.constantFrom<'ice' | 'mts'>('ice', 'mts'), fc.array(fc.nat(), { minLength: 1, maxLength: 10 }), (api, picks) => {
        const offered = api === 'ice' ? ICE_FUNCTIONS : MTS_FUNCTIONS;
        const chosen = picks.map((i) => offered[i % offered.length]);
        expect(checkFunctions(scope, api, chosen)).toEqual([...new Set(chosen)]);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects an MPS-only function on ICE and names it', () => {
    const scope = new ros.Construct(stackIn('cn-shanghai'), 'P');
    const mtsOnly = MTS_FUNCTIONS.filter((f) => !(ICE_FUNCTIONS as readonly string[]).includes(f));
    expect(mtsOnly.length).toBeGreaterThan(0);
    for (const fn of mtsOnly) {
      expect(() => checkFunctions(scope, 'ice', ['Cover', fn])).toThrow(new RegExp(`functions\\[1\\] ${fn} is not offered by api 'ice'`));
    }
  });
});

describe('findOssUrls', () => {
  it('finds OSS URLs in every form with the JSON path of their field, and nothing else', () => {
    // GIVEN
    const request = {
      FunctionName: 'Cover',
      Input: { Type: 'OSS', Media: 'oss://media-in/a.mp4' },
      Output: { Type: 'OSS', Media: 'https://media-out.oss-cn-beijing.aliyuncs.com/b-{sequenceId}.png' },
      Extra: ['oss://media-x.oss-cn-shanghai.aliyuncs.com/c.mp4', 'https://example.com/not-oss', 'plain'],
      UserData: '{"k":"v"}',
    };
    // WHEN
    const found = findOssUrls(request);
    // THEN
    expect(found).toEqual([
      { path: 'Input.Media', url: 'oss://media-in/a.mp4', bucket: 'media-in', object: 'a.mp4' },
      { path: 'Output.Media', url: 'https://media-out.oss-cn-beijing.aliyuncs.com/b-{sequenceId}.png', bucket: 'media-out', object: 'b-{sequenceId}.png', region: 'cn-beijing' },
      { path: 'Extra[0]', url: 'oss://media-x.oss-cn-shanghai.aliyuncs.com/c.mp4', bucket: 'media-x', object: 'c.mp4', region: 'cn-shanghai' },
    ]);
  });
});
