import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import {
  ACTIONS, API_ACTIONS, API_FACTS, APIS, endpointOf, MPS_PIPELINE_ID_PATTERN, OPERATION_SCOPED_SERVICES, ramActionOf,
  REGION_ID_PATTERN,
} from '../../lib/service';

describe('service facts', () => {
  it('lists the documented regions, MPS borrowing ICE list', () => {
    expect(API_FACTS.ice.regions).toEqual(['cn-shanghai', 'cn-hangzhou', 'cn-beijing', 'cn-shenzhen', 'ap-southeast-1', 'us-west-1']);
    expect(API_FACTS.mts.regions).toEqual(API_FACTS.ice.regions);
    // FACTS.md: "documented regions include": a region outside the list is a warning, never an error.
    expect(APIS.map((a) => API_FACTS[a].regionsExhaustive)).toEqual([false, false]);
  });

  it('names RAM actions service:Operation and endpoints per region', () => {
    expect(ramActionOf('ice', 'SubmitIProductionJob')).toBe('ice:SubmitIProductionJob');
    expect(ramActionOf('mts', 'QueryIProductionJob')).toBe('mts:QueryIProductionJob');
    expect(endpointOf('ice', 'cn-beijing')).toBe('ice.cn-beijing.aliyuncs.com');
    expect(endpointOf('mts', 'cn-beijing')).toBe('mts.cn-beijing.aliyuncs.com');
    expect(OPERATION_SCOPED_SERVICES).toEqual(['ice', 'mts']);
  });

  it('takes the submit QPS limits from the seeds and marks the rest GUESS', () => {
    expect(ACTIONS.SubmitIProductionJob).toMatchObject({ qps: 100, qpsSource: 'seed 002', submit: true });
    expect(ACTIONS.SubmitMediaProducingJob).toMatchObject({ qps: 30, qpsSource: 'seed 003', idempotency: 'client-token' });
    expect(API_ACTIONS.filter((a) => ACTIONS[a].qpsSource === 'GUESS')).toEqual(['QueryIProductionJob', 'GetMediaProducingJob', 'GetEventCallback', 'SetEventCallback']);
  });

  it('offers timeline editing on ICE only', () => {
    expect(API_FACTS.mts.actions).not.toContain('SubmitMediaProducingJob');
    expect(API_FACTS.ice.actions).toEqual(API_ACTIONS);
  });

  it.each(['cn-shanghai', 'ap-southeast-1', 'cn-hangzhou-finance'])('accepts region id %s', (r) => {
    expect(REGION_ID_PATTERN.test(r)).toBe(true);
  });

  it.each(['', 'shanghai', 'CN-SHANGHAI', 'cn_shanghai'])('refuses region id %p', (r) => {
    expect(REGION_ID_PATTERN.test(r)).toBe(false);
  });

  it('accepts the pipeline ids the seeds show', () => {
    expect(MPS_PIPELINE_ID_PATTERN.test('5246b8d12a62433ab77845074039c3dc')).toBe(true);
    expect(MPS_PIPELINE_ID_PATTERN.test('a54fdc9c9aab413caef0d1150f565e86')).toBe(true);
    expect(MPS_PIPELINE_ID_PATTERN.test('not an id')).toBe(false);
  });

  it('imports nothing: the layer is data at the bottom of the house', () => {
    const dir = join(__dirname, '../../lib/service');
    for (const f of readdirSync(dir)) {
      const imports = readFileSync(join(dir, f), 'utf8').match(/^import .* from '([^']+)'/gm) ?? [];
      expect({ file: f, imports }).toEqual({ file: f, imports: [] });
    }
  });
});
