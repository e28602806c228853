#!/usr/bin/env node
// Synthesizes the example app into cdk.out/ (or the directory ROS CDK's CLI passes in CDK_OUTDIR) and prints a
// short summary: resources by type, RAM policies, template bytes.
import { summarizeAssembly } from './app-summary';
import { createExampleApp } from './example-app';

const assembly = createExampleApp(process.env.CDK_OUTDIR ?? 'cdk.out').synth();
process.stdout.write(summarizeAssembly(assembly));
