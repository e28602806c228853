import fc from 'fast-check';
import { FUNCTION_NAMES, type ValidationIssue, validateIProductionJob, validateMediaProducingJob } from '../../lib/jobs';
import { iceRequest, mediaRequest, mtsRequest } from './fixtures';

const RUNS = Number(process.env.JOBS_RUNS ?? 300);

/** Every path (list of keys) into a JSON-like value, the root included. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

/** A deep copy of `v` with the value at `path` replaced (or removed when `value` is undefined). */
function mutate(v: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
  const [head, ...rest] = path;
  if (rest.length === 0 && value === undefined && !Array.isArray(copy)) delete copy[head];
  else copy[head] = mutate(copy[head], rest, value);
  return copy;
}

/** Well-formed, and not produced by the validators' last-resort catch (which would hide a defect). */
const wellFormed = (issues: unknown): boolean =>
  Array.isArray(issues) &&
  issues.every((i: ValidationIssue) => !/could not be validated/.test(i.message)) &&
  issues.every((i: ValidationIssue) => typeof i.field === 'string' && i.field !== '' && typeof i.message === 'string' && (i.severity === 'error' || i.severity === 'warning'));

const anyValue = fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true });
const options = fc.record({ region: fc.option(fc.oneof(fc.constant('cn-shanghai'), fc.string()), { nil: undefined }), api: fc.option(fc.constantFrom('ice', 'mts'), { nil: undefined }) }, { requiredKeys: [] });

describe('the validators never throw', () => {
  it.each([
    ['validateIProductionJob', (v: unknown, o: object) => validateIProductionJob(v, o)],
    ['validateMediaProducingJob', (v: unknown, o: object) => validateMediaProducingJob(v, o)],
  ])('%s returns well-formed issues for any JSON value or JS value', (_, validate) => {
    // GIVEN arbitrary JSON, and arbitrary JS values (null prototypes, BigInt, Maps, sparse arrays...)
    // WHEN validated with arbitrary options
    // THEN an issue list comes back, never an exception
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), anyValue), options, (v, o) => wellFormed(validate(v, o))), { numRuns: RUNS });
  });

  it.each([
    ['ICE', (fn: (typeof FUNCTION_NAMES)[number]) => iceRequest(fn), 'ice'],
    ['MPS', (fn: (typeof FUNCTION_NAMES)[number]) => mtsRequest(fn), 'mts'],
  ] as const)('validateIProductionJob survives any mutation of a valid %s request', (_, build, api) => {
    const requests = FUNCTION_NAMES.map((fn) => build(fn));
    const mutated = fc
      .constantFrom(...requests)
      .chain((req) => fc.tuple(fc.constant(req), fc.constantFrom(...paths(req)), fc.option(fc.oneof(fc.jsonValue(), anyValue), { nil: undefined })));
    // GIVEN a valid request with one value anywhere replaced by anything (or removed)
    // WHEN validated
    // THEN issues come back, never an exception
    fc.assert(fc.property(mutated, ([req, path, value]) => wellFormed(validateIProductionJob(mutate(req, path, value), { api, region: 'cn-shanghai' }))), { numRuns: RUNS });
  });

  it('validateMediaProducingJob survives any mutation of a valid request', () => {
    const req = mediaRequest({ Timeline: mediaRequest().Timeline, OutputMediaConfig: mediaRequest().OutputMediaConfig });
    const mutated = fc.tuple(fc.constantFrom(...paths(req)), fc.option(fc.oneof(fc.jsonValue(), anyValue), { nil: undefined }));
    fc.assert(fc.property(mutated, ([path, value]) => wellFormed(validateMediaProducingJob(mutate(req, path, value), { region: 'cn-shanghai' }))), { numRuns: RUNS });
  });

  it('a mutation that breaks a rule is reported, not silently accepted', () => {
    // GIVEN valid CaptionExtraction requests whose fps is replaced by any integer
    // WHEN validated
    // THEN exactly the integers outside 2..10 draw an error on fps
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (fps) => {
        const issues = validateIProductionJob(iceRequest('CaptionExtraction', { JobParams: { fps } }));
        const onFps = issues.some((i) => i.field === 'fps' && i.severity === 'error');
        return onFps === (fps < 2 || fps > 10);
      }),
      { numRuns: RUNS },
    );
  });
});
