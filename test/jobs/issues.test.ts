import { JobValidationError, assertValidIProductionJob, assertValidMediaProducingJob, hasErrors } from '../../lib/jobs';
import { iceRequest, mediaRequest } from './fixtures';

describe('hasErrors', () => {
  it.each([
    [[], false],
    [[{ field: 'Media', message: 'm', severity: 'warning' as const }], false],
    [[{ field: 'Media', message: 'm', severity: 'warning' as const }, { field: 'fps', message: 'm', severity: 'error' as const }], true],
  ])('%j → %p', (issues, expected) => {
    expect(hasErrors(issues)).toBe(expected);
  });
});

describe('assertValid*', () => {
  it('throws a JobValidationError listing every error as field: message, and keeps warnings in issues', () => {
    // GIVEN a Cover request with two errors and one warning
    const req = iceRequest('Cover', { Output: { Type: 'OSS', Media: 'oss://media-out/cover.png' }, ScheduleConfig: { Priority: 0 }, JobParams: { Model: 'png' } });
    // WHEN asserted
    let thrown: unknown;
    try {
      assertValidIProductionJob(req);
    } catch (e) {
      thrown = e;
    }
    // THEN the error names both errors in its message, not the warning, and carries all three issues
    expect(thrown).toBeInstanceOf(JobValidationError);
    const err = thrown as JobValidationError;
    expect(err.message).toBe(
      'invalid SubmitIProductionJob request:\n  Priority: Priority must be an integer between 1 and 10, got 0\n  Model: Model must be one of "", "gif", got "png"',
    );
    expect(err.issues.map((i) => [i.field, i.severity])).toEqual([['Media', 'warning'], ['Priority', 'error'], ['Model', 'error']]);
  });

  it.each([
    ['a valid ICE request', () => assertValidIProductionJob(iceRequest('VideoH2V'))],
    ['a request with only a warning', () => assertValidIProductionJob(iceRequest('Cover', { Output: { Type: 'OSS', Media: 'oss://media-out/c.png' } }))],
    ['a valid MediaProducing request', () => assertValidMediaProducingJob(mediaRequest())],
  ])('does not throw for %s', (_, run) => {
    expect(run).not.toThrow();
  });

  it('throws for an invalid MediaProducing request, naming the field', () => {
    expect(() => assertValidMediaProducingJob(mediaRequest({ ClientToken: 'x'.repeat(65) }))).toThrow(/ClientToken: ClientToken must be at most 64 ASCII characters, got 65/);
  });
});
