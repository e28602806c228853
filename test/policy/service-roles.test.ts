import { renderMarkdown, reviewTemplate, type RosTemplateResource } from '../../lib/policy';

function fn(env: Record<string, unknown>): RosTemplateResource {
  return { Type: 'ALIYUN::FC3::Function', Properties: { FunctionName: 'f', Handler: 'index.handler', Runtime: 'nodejs18', EnvironmentVariables: env } };
}

describe('service roles in the policy report (issue 11: which service roles touch the buckets and how)', () => {
  it('names ICE\'s service role with the input and output locations the ICE runtime function allows', () => {
    // GIVEN a runtime function on ICE
    const review = reviewTemplate({ Resources: { Runtime: fn({ IPROD_API: 'ice', IPROD_INPUT_LOCATIONS: '["in-bucket/input/"]', IPROD_OUTPUT_LOCATIONS: '["out-bucket/output/","out-bucket/extra/"]' }) } }, { stackName: 'S' });
    // THEN
    expect(review.serviceRoles).toEqual([{
      stackName: 'S', role: 'AliyunICEDefaultRole', api: 'ice', via: 'ALIYUN::FC3::Function Runtime',
      reads: ['oss://in-bucket/input/*'], writes: ['oss://out-bucket/output/*', 'oss://out-bucket/extra/*'],
    }]);
    expect(renderMarkdown(review)).toMatch(/## Service roles that touch OSS[\s\S]*`AliyunICEDefaultRole` \| ice \|[\s\S]*oss:\/\/in-bucket\/input\/\*/);
  });

  it.each([
    ['the pipeline\'s own role', { Role: 'acme-mps-role' }, 'acme-mps-role'],
    ['MPS\'s default role when the pipeline names none', {}, 'AliyunMTSDefaultRole'],
  ])('on MPS names %s', (_what, pipelineProps, role) => {
    const review = reviewTemplate({
      Resources: {
        Pipeline: { Type: 'ALIYUN::MPS::Pipeline', Properties: { Name: 'p', ...pipelineProps } },
        Runtime: fn({ IPROD_API: 'mts', IPROD_PIPELINE_ID: { 'Fn::GetAtt': ['Pipeline', 'PipelineId'] }, IPROD_INPUT_LOCATIONS: '["b/in/"]', IPROD_OUTPUT_LOCATIONS: '["b/out/"]' }),
      },
    });
    expect(review.serviceRoles?.map((u) => [u.role, u.api, u.reads, u.writes])).toEqual([[role, 'mts', ['oss://b/in/*'], ['oss://b/out/*']]]);
  });

  it('adds nothing for a function that is not a runtime of ours, nor a section to the report', () => {
    const review = reviewTemplate({ Resources: { Other: fn({ MODE: 'x' }) } });
    expect(review.serviceRoles).toBeUndefined();
    expect(renderMarkdown(review)).not.toMatch(/Service roles/);
  });
});
