import { mergeUserData, RUNTIME_USER_DATA_RESERVE, userDataLimit, userDataTagsProblem } from '../../lib/jobs';

describe('userDataTagsProblem', () => {
  it('GIVEN tags that leave room for requests and the runtime THEN they fit', () => {
    expect(userDataTagsProblem({ project: 'iprod-example', 'managed-by': 'ros-cdk-iproduction' }, 'ice')).toBeUndefined();
  });

  it('GIVEN 8 tags that serialize past ICE\'s 256 characters less the reserve THEN synth is told the figures', () => {
    // GIVEN
    const tags = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`cost-center-${i}`, `team-media-platform-${i}`]));
    // WHEN
    const problem = userDataTagsProblem(tags, 'ice');
    // THEN
    expect(problem).toBe(`must serialize to at most ${256 - RUNTIME_USER_DATA_RESERVE} characters of UserData (ICE SubmitIProductionJob allows 256, ${RUNTIME_USER_DATA_RESERVE} are kept for the runtime), got ${JSON.stringify(Object.fromEntries(Object.entries(tags).sort())).length}`);
    // ...while MPS, whose 1,024 bytes are an older ICE figure, takes them.
    expect(userDataTagsProblem(tags, 'mts')).toBeUndefined();
    expect(userDataLimit('mts').enforced).toBe(false);
  });
});

describe('mergeUserData', () => {
  const tags = { team: 'media', env: 'prod' };

  it('GIVEN an MPS request over the 1,024 bytes no seed states THEN it is merged and left to the validator\'s warning', () => {
    expect(mergeUserData({ note: 'x'.repeat(1100) }, tags, 'mts')).toMatchObject({ ok: true });
  });

  it.each([
    ['no UserData', undefined, { env: 'prod', team: 'media' }],
    ['an object (its keys win)', { env: 'dev', x: 1 }, { env: 'dev', team: 'media', x: 1 }],
    ['a JSON string (stays a string)', '{"x":1}', '{"env":"prod","team":"media","x":1}'],
  ])('GIVEN %s THEN the tags are merged in, never over it', (_name, userData, expected) => {
    expect(mergeUserData(userData, tags, 'ice')).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['a plain string', 'hello', /must be a JSON object \(or its JSON text\) so that the deployment's tags can be merged into it, got "hello"/],
    ['a number', 5, /must be a JSON object \(or its JSON text\), got 5/],
    ['an overflow', { note: 'x'.repeat(480) }, /must be at most 512 bytes, got \d+/],
  ])('GIVEN %s THEN it answers why, before any call', (_name, userData, reason) => {
    const merged = mergeUserData(userData, tags, 'mediaProducing');
    expect(merged.ok).toBe(false);
    if (!merged.ok) expect(merged.reason).toMatch(reason);
  });
});
