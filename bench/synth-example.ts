/** Our synth child for the example app: `example - <outdir>` synthesizes `createExampleApp(outdir)`. */
import { measure, parseArgs } from './synth-common';

const { outdir } = parseArgs(process.argv.slice(2));
let exampleApp: typeof import('../bin/example-app');
measure(
  'example',
  null,
  outdir,
  () => {
    exampleApp = require('../bin/example-app');
  },
  () => {
    exampleApp.createExampleApp(outdir).synth();
  },
);
