import { type OssForm, bucketNameProblem, parseOssUrl } from '../../lib/jobs';

const ALL: OssForm[] = ['oss', 'oss-host', 'http'];

describe('parseOssUrl', () => {
  it.each([
    ['oss://bucket/object', ALL, { bucket: 'bucket', object: 'object' }],
    ['oss://media-in/a/b/c.mp4', ALL, { bucket: 'media-in', object: 'a/b/c.mp4' }],
    ['oss://example-bucket.oss-cn-shanghai.aliyuncs.com/example.mp4', ALL, { bucket: 'example-bucket', object: 'example.mp4', region: 'cn-shanghai' }],
    ['https://b-1.oss-ap-southeast-1.aliyuncs.com/x/{sequenceId}.png', ALL, { bucket: 'b-1', object: 'x/{sequenceId}.png', region: 'ap-southeast-1' }],
    ['HTTP://b-1.oss-us-west-1.aliyuncs.com/x', ALL, { bucket: 'b-1', object: 'x', region: 'us-west-1' }],
  ] as const)('reads %s', (url, forms, location) => {
    expect(parseOssUrl(url, forms)).toEqual({ ok: true, location });
  });

  it.each([
    ['oss://bucket/object', ['http'], /must be http\(s\):\/\/bucket.oss-\{region\}.aliyuncs.com\/object, got/],
    ['oss://example-bucket.oss-cn-shanghai.aliyuncs.com/a.mp4', ['oss', 'http'], /must be oss:\/\/bucket\/object or http/],
    ['https://cdn.example.com/a.mp4', ALL, /not an OSS endpoint.*CDN/],
    ['https://b-1.oss-cn-shanghai-internal.aliyuncs.com/a', ALL, /public OSS region/],
    ['https://b-1.oss-accelerate.aliyuncs.com/a', ALL, /public OSS region/],
    ['ftp://b-1/a', ALL, /must be/],
    ['b-1/a', ALL, /must be/],
    ['oss://b-1', ALL, /object name is empty/],
    ['oss://b-1//a', ALL, /must not start with "\/"/],
    ['oss://B-1/a', ALL, /lowercase/],
    ['oss://b_1/a', ALL, /lowercase/],
    ['oss://-b1/a', ALL, /start and end/],
  ] as const)('refuses %s', (url, forms, reason) => {
    const r = parseOssUrl(url, forms);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(`${r.reason}, got`).toMatch(reason);
  });
});

describe('bucketNameProblem', () => {
  it.each([
    ['abc', undefined],
    ['a'.repeat(63), undefined],
    ['ab', /3-63 characters, got "ab" \(2\)/],
    ['a'.repeat(64), /3-63/],
    ['my.bucket', /lowercase letters, digits and hyphens/],
    ['bucket-', /start and end/],
  ])('%s → %p', (name, problem) => {
    const p = bucketNameProblem(name);
    if (problem === undefined) expect(p).toBeUndefined();
    else expect(p).toMatch(problem);
  });
});
