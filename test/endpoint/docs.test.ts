import { join } from 'path';
import { docExamples, runDocExample, squash } from '../support/doc-examples';

/** The imports a reader's copy resolves: the package root, the endpoint from the repository root, and the SDK. */
const MODULES: Record<string, () => unknown> = {
  'ros-cdk-iproduction': () => require('../../lib'),
  'ros-cdk-iproduction/testing': () => require('../../lib/testing'),
  '@alicloud/openapi-client': () => require('@alicloud/openapi-client'),
  '@alicloud/tea-util': () => require('@alicloud/tea-util'),
};

describe('docs/local-endpoint.md examples', () => {
  const blocks = docExamples(join(__dirname, '..', '..', 'docs', 'local-endpoint.md'));

  it('has the three examples', () => {
    expect(blocks).toHaveLength(3);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('example %d runs as written and prints what it says', async (_, { code, expected }) => {
    // GIVEN the block as a user would compile it; its closing `main();` is awaited so the test sees the end
    expect(code).toMatch(/^main\(\);$/m);
    // WHEN it runs
    const printed = await runDocExample(code, MODULES);
    // THEN each console.log printed what its comment says
    expect(printed.map(squash)).toEqual(expected.map(squash));
  });
});
