#!/usr/bin/env node
// Synthesizes the example app into cdk.out/ (or the directory ROS CDK's CLI passes in CDK_OUTDIR), prints the synth
// summary (resources, physical names, outputs, permissions per principal, warnings, cost drivers) and the policy
// review of what it wrote. Unsuppressed policy errors fail the synth: a stack the reviewer rejects is not one to
// deploy.
import { blockingFindings, formatSynthSummary, reviewAssembly, summarizeReview, summarizeSynth } from '../lib/policy';
import { createExampleApp } from './example-app';

const assembly = createExampleApp(process.env.CDK_OUTDIR ?? 'cdk.out').synth();
const review = reviewAssembly(assembly.directory);
process.stdout.write(formatSynthSummary(summarizeSynth(assembly.directory, { review })));
process.stdout.write(summarizeReview(review) + '\n');
const blocking = blockingFindings(review, 'error');
if (blocking.length > 0) {
  process.stderr.write(
    `synth failed: ${blocking.length} unsuppressed policy error(s); run \`npx iprod policy-report ${assembly.directory}\` for the report\n`,
  );
  process.exitCode = 1;
}
