import { applyDeploymentDefaults, resolveSettings } from '../../lib/runtime/handler-settings';

const CREDS = { accessKeyId: 'AK', accessKeySecret: 'SK', securityToken: 'TOKEN' };

describe('resolveSettings', () => {
  it.each([
    ['context region wins', { region: 'cn-beijing' }, { FC_REGION: 'cn-hangzhou', IPROD_REGION: 'cn-shenzhen' }, 'cn-beijing'],
    ['FC_REGION next', {}, { FC_REGION: 'cn-hangzhou', IPROD_REGION: 'cn-shenzhen' }, 'cn-hangzhou'],
    ['IPROD_REGION last', {}, { IPROD_REGION: 'cn-shenzhen' }, 'cn-shenzhen'],
    ['blank values are skipped', { region: ' ' }, { FC_REGION: '', IPROD_REGION: 'cn-shenzhen' }, 'cn-shenzhen'],
  ])('GIVEN %s THEN the region is taken from the first source set', (_name, context, env, region) => {
    // WHEN
    const settings = resolveSettings(context, env);
    // THEN
    expect(settings).toMatchObject({ region, api: 'ice' });
  });

  it('GIVEN the full FC context and environment THEN every setting is carried over', () => {
    // WHEN
    const settings = resolveSettings(
      { region: 'cn-shanghai', credentials: CREDS },
      { ICE_ENDPOINT: '127.0.0.1:9000', ICE_PROTOCOL: 'http', IPROD_API: 'mts', IPROD_PIPELINE_ID: 'p1', IPROD_USER_DATA_TAGS: '{"team":"media"}' },
    );
    // THEN
    expect(settings).toEqual({
      region: 'cn-shanghai',
      endpoint: '127.0.0.1:9000',
      protocol: 'http',
      api: 'mts',
      credential: CREDS,
      pipelineId: 'p1',
      userDataTags: { team: 'media' },
      scope: {},
    });
  });

  it('GIVEN the deployment decisions in the environment THEN they are enforced, and an empty list enforces too', () => {
    // WHEN
    const settings = resolveSettings({ region: 'cn-shanghai' }, {
      IPROD_FUNCTIONS: '["Cover"]',
      IPROD_INPUT_LOCATIONS: '["in-bucket/input/","shared"]',
      IPROD_OUTPUT_LOCATIONS: '[]',
      IPROD_MAX_INSTANCES: '8',
    });
    // THEN
    expect(settings).toMatchObject({
      maxInstances: 8,
      scope: {
        functions: ['Cover'],
        inputs: [{ bucket: 'in-bucket', prefix: 'input/' }, { bucket: 'shared', prefix: '' }],
        outputs: [],
      },
    });
  });

  it.each([
    ['no region', {}, {}, 'MissingRegion', /region must come from context.region, env FC_REGION or env IPROD_REGION, got none/],
    ['bad protocol', { region: 'cn-shanghai' }, { ICE_PROTOCOL: 'ftp' }, 'InvalidConfiguration', /ICE_PROTOCOL must be http or https, got "ftp"/],
    ['bad api', { region: 'cn-shanghai' }, { IPROD_API: 'vod' }, 'InvalidConfiguration', /IPROD_API must be one of ice, mts, got "vod"/],
    ['tags not JSON', { region: 'cn-shanghai' }, { IPROD_USER_DATA_TAGS: 'team=media' }, 'InvalidConfiguration', /IPROD_USER_DATA_TAGS must be a JSON object of strings, got "team=media"/],
    ['tags with a number', { region: 'cn-shanghai' }, { IPROD_USER_DATA_TAGS: '{"n":1}' }, 'InvalidConfiguration', /JSON object of strings/],
    ['a non-string region', { region: 42 }, {}, 'InvalidConfiguration', /context.region must be a region id string such as "cn-shanghai", got 42/],
    ['an object region', { region: { id: 'cn-shanghai' } }, {}, 'InvalidConfiguration', /context.region must be a region id string/],
    ['functions not a list', { region: 'cn-shanghai' }, { IPROD_FUNCTIONS: 'Cover' }, 'InvalidConfiguration', /IPROD_FUNCTIONS must be a JSON array of function names, got "Cover"/],
    ['locations not a list', { region: 'cn-shanghai' }, { IPROD_INPUT_LOCATIONS: '"a/b"' }, 'InvalidConfiguration', /IPROD_INPUT_LOCATIONS must be a JSON array of "bucket\/prefix" strings/],
    ['max instances zero', { region: 'cn-shanghai' }, { IPROD_MAX_INSTANCES: '0' }, 'InvalidConfiguration', /IPROD_MAX_INSTANCES must be a whole number between 1 and 10000, got "0"/],
    ['credentials without secret', { region: 'cn-shanghai', credentials: { accessKeyId: 'AK', accessKeySecret: '' } }, {}, 'InvalidCredentials', /context.credentials must carry accessKeyId and accessKeySecret, got "AK" and ""/],
  ])('GIVEN %s THEN it answers an error naming the setting', (_name, context, env, code, message) => {
    // WHEN
    const settings = resolveSettings(context as never, env);
    // THEN
    expect(settings).toEqual({ error: { code, message: expect.stringMatching(message) } });
  });

  it('GIVEN an error about credentials THEN the secret is not in the message', () => {
    // WHEN
    const settings = resolveSettings({ region: 'cn-shanghai', credentials: { accessKeyId: '', accessKeySecret: 'TOP-SECRET' } }, {});
    // THEN
    expect(JSON.stringify(settings)).not.toContain('TOP-SECRET');
  });
});

describe('applyDeploymentDefaults', () => {
  const deployment = { pipelineId: 'pipe-1', userDataTags: { team: 'media', env: 'prod' } };

  it.each([
    ['ICE request without schedule', 'ice', { FunctionName: 'Cover' },
      { FunctionName: 'Cover', ScheduleConfig: { PipelineId: 'pipe-1' }, UserData: { team: 'media', env: 'prod' } }],
    ['ICE request with priority only', 'ice', { ScheduleConfig: { Priority: 3 } },
      { ScheduleConfig: { Priority: 3, PipelineId: 'pipe-1' }, UserData: { team: 'media', env: 'prod' } }],
    ['ICE request naming its pipeline', 'ice', { ScheduleConfig: { PipelineId: 'mine' }, UserData: { env: 'dev' } },
      { ScheduleConfig: { PipelineId: 'mine' }, UserData: { team: 'media', env: 'dev' } }],
    ['ICE request with string UserData', 'ice', { ScheduleConfig: 'raw', UserData: '{"x":1,"env":"dev"}' },
      { ScheduleConfig: 'raw', UserData: '{"env":"dev","team":"media","x":1}' }],
    ['MPS request', 'mts', { FunctionName: 'Cover' },
      { FunctionName: 'Cover', PipelineId: 'pipe-1', UserData: { team: 'media', env: 'prod' } }],
    ['MPS request naming its pipeline', 'mts', { PipelineId: 'mine' },
      { PipelineId: 'mine', UserData: { team: 'media', env: 'prod' } }],
  ])('GIVEN an %s THEN what it states wins and the rest is filled in', (_name, api, request, expected) => {
    // WHEN
    const out = applyDeploymentDefaults(request, 'iProduction', api as 'ice' | 'mts', deployment);
    // THEN
    expect(out).toEqual(expected);
  });

  it('GIVEN a media producing request THEN no pipeline is added (timeline jobs have none)', () => {
    // WHEN
    const out = applyDeploymentDefaults({ TemplateId: 't' }, 'mediaProducing', 'ice', deployment);
    // THEN
    expect(out).toEqual({ TemplateId: 't', UserData: { team: 'media', env: 'prod' } });
  });

  it.each([
    ['a string that is not JSON', 'plain text', /UserData must be a JSON object \(or its JSON text\) so that the deployment's tags can be merged into it, got "plain text"/],
    ['a merge over 256 characters', { note: 'n'.repeat(250) }, /UserData with the deployment's tags must be at most 256 characters, got 289 \(the request's own UserData is 261, the tags 29\)/],
  ])('GIVEN UserData as %s THEN it is refused before any call, naming the rule and the sizes', (_name, userData, message) => {
    // WHEN / THEN
    expect(() => applyDeploymentDefaults({ UserData: userData }, 'iProduction', 'ice', deployment)).toThrow(message);
  });

  it('GIVEN no deployment defaults THEN the request is unchanged and not mutated', () => {
    // GIVEN
    const request = Object.freeze({ FunctionName: 'Cover', ScheduleConfig: Object.freeze({ Priority: 1 }) });
    // WHEN
    const out = applyDeploymentDefaults(request, 'iProduction', 'ice', {});
    // THEN
    expect(out).toEqual(request);
    expect(applyDeploymentDefaults(request, 'iProduction', 'ice', deployment)).not.toBe(request);
  });
});
