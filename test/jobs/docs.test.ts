import { join } from 'path';
import * as jobs from '../../lib/jobs';
import { docExamples, runDocExample, squash } from '../support/doc-examples';

describe('docs/jobs.md examples', () => {
  const blocks = docExamples(join(__dirname, '..', '..', 'docs', 'jobs.md'));

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('example %d runs as written and prints what it says', async (_, { code, expected }) => {
    // GIVEN the block compiled as a user would, importing the package root (the job model is all it may use)
    // WHEN it runs
    const printed = await runDocExample(code, { 'ros-cdk-iproduction': () => jobs });
    // THEN each console.log printed what its comment says
    expect(printed.map(squash)).toEqual(expected.map(squash));
  });
});
