import { hasPlaceholder, resolveValue } from '../../lib/policy/intrinsics';
import { jsonLineIndex, lineOf } from '../../lib/policy/json-lines';
import { RosTemplate } from '../../lib/policy';

const TEMPLATE: RosTemplate = {
  Parameters: { Env: { Type: 'String', Default: 'prod' }, Open: { Type: 'String' } },
  Mappings: { Names: { prod: { Queue: 'jobs-prod' } } },
  Resources: {
    Role: { Type: 'ALIYUN::RAM::Role', Properties: { RoleName: { 'Fn::Join': ['-', ['media', { Ref: 'Env' }]] } } },
    Queue: { Type: 'ALIYUN::MNS::Queue', Properties: { QueueName: { 'Fn::FindInMap': ['Names', { Ref: 'Env' }, 'Queue'] } } },
    Bucket: { Type: 'ALIYUN::OSS::Bucket', Properties: { BucketName: { 'Fn::Sub': 'media-${Env}-${ALIYUN::Region}' } } },
    Nameless: { Type: 'ALIYUN::OSS::Bucket', Properties: {} },
  },
};

describe('resolveValue', () => {
  const ctx = { template: TEMPLATE, region: 'cn-shanghai', accountId: '1234567890123456' };
  it.each([
    [{ Ref: 'ALIYUN::Region' }, 'cn-shanghai'],
    [{ Ref: 'ALIYUN::AccountId' }, '1234567890123456'],
    [{ Ref: 'ALIYUN::StackName' }, '${ALIYUN::StackName}'],
    [{ Ref: 'Env' }, 'prod'],
    [{ Ref: 'Open' }, '${?Open}'],
    [{ Ref: 'Role' }, 'media-prod'],
    [{ Ref: 'Nameless' }, '${Nameless}'],
    [{ 'Fn::GetAtt': ['Role', 'RoleName'] }, 'media-prod'],
    [{ 'Fn::GetAtt': ['Role', 'Arn'] }, 'acs:ram::1234567890123456:role/media-prod'],
    [{ 'Fn::GetAtt': 'Role.Arn' }, 'acs:ram::1234567890123456:role/media-prod'],
    [{ 'Fn::GetAtt': ['Queue', 'Arn'] }, 'acs:mns:cn-shanghai:1234567890123456:/queues/jobs-prod'],
    [{ 'Fn::GetAtt': ['Bucket', 'Name'] }, 'media-prod-cn-shanghai'],
    [{ 'Fn::GetAtt': ['Bucket', 'DomainName'] }, '${Bucket.DomainName}'],
    [{ 'Fn::GetAtt': ['Missing', 'Arn'] }, '${Missing.Arn}'],
    [{ 'Fn::Join': ['', ['acs:oss:*:', { Ref: 'ALIYUN::AccountId' }, ':', { Ref: 'Bucket' }, '/in/*']] }, 'acs:oss:*:1234567890123456:media-prod-cn-shanghai/in/*'],
    [{ 'Fn::Sub': ['acs:oss:*:${A}:${B}/*', { A: { Ref: 'ALIYUN::AccountId' }, B: 'x' }] }, 'acs:oss:*:1234567890123456:x/*'],
    [{ 'Fn::Sub': 'arn ${Role.Arn} ${!Literal}' }, 'arn acs:ram::1234567890123456:role/media-prod ${!Literal}'],
    [{ 'Fn::Select': [1, ['a', { Ref: 'Env' }]] }, 'prod'],
    [{ 'Fn::Select': [5, ['a']] }, '${?Fn::Select}'],
    [{ 'Fn::Select': [0, { 'Fn::Split': [',', 'x,y'] }] }, 'x'],
    [{ 'Fn::If': ['C', 'a', 'b'] }, '${Fn::If}'],
    [[{ Ref: 'Env' }, 'literal', 3], ['prod', 'literal', 3]],
    [{ Nested: { Ref: 'Env' } }, { Nested: 'prod' }],
  ])('%j → %j', (input, expected) => {
    expect(resolveValue(input, ctx)).toEqual(expected);
  });

  it('keeps pseudo parameters as placeholders when region and account are not given', () => {
    const r = resolveValue({ 'Fn::GetAtt': ['Queue', 'Arn'] }, { template: TEMPLATE }) as string;
    expect(r).toBe('acs:mns:${ALIYUN::Region}:${ALIYUN::AccountId}:/queues/jobs-prod');
    expect(hasPlaceholder(r)).toBe(true);
    expect(r.includes('*')).toBe(false);
  });

  it('stops on self-referencing names instead of recursing forever', () => {
    const loop: RosTemplate = { Resources: { A: { Type: 'ALIYUN::RAM::Role', Properties: { RoleName: { Ref: 'A' } } } } };
    expect(typeof resolveValue({ Ref: 'A' }, { template: loop })).toBe('string');
  });
});

describe('jsonLineIndex', () => {
  it('maps each path to the line where its value starts', () => {
    const text = JSON.stringify({ a: { b: [1, { c: 'x"y' }], 'k.d': true }, e: [] }, null, 2);
    const idx = jsonLineIndex(text);
    const lines = text.split('\n');
    expect(lines[idx.get('a.b[1].c')! - 1]).toContain('"c": "x\\"y"');
    expect(lines[idx.get('a.b[0]')! - 1].trim()).toBe('1,');
    expect(idx.get('e')).toBe(lines.length - 1);
    expect(lineOf(idx, 'a.b[1].c.missing')).toBe(idx.get('a.b[1].c'));
  });
});
