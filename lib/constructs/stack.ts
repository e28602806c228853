import { createHash } from 'crypto';
import * as ros from '@alicloud/ros-cdk-core';
import { IntelligentProduction, IntelligentProductionProps } from './production';

/** Properties of an `IntelligentProductionStack`: the stack's own and those of the `IntelligentProduction` it holds. */
export interface IntelligentProductionStackProps extends ros.StackProps, IntelligentProductionProps {
  /**
   * Qualifier of the asset bucket name ROS CDK writes into `*.assets.json` (`cdk-{qualifier}-assets-{region}`).
   * ROS CDK draws a random one per synth when none is given, which would make two synths differ.
   * @default - `iprod` + the first 4 hex digits of the SHA-256 of the stack name
   */
  readonly assetQualifier?: string;
}

/**
 * A stack holding one `IntelligentProduction` (child id `Production`), with its tags on the stack too (ROS passes
 * stack tags to the resources it creates) and outputs naming what app teams need: bucket names, pipeline id,
 * queue or topic name, function name and role ARN. Synthesizes byte-identically every time.
 */
export class IntelligentProductionStack extends ros.Stack {
  public readonly production: IntelligentProduction;

  constructor(scope: ros.Construct, id: string, props: IntelligentProductionStackProps = {}) {
    const qualifier = props.assetQualifier ?? `iprod${createHash('sha256').update(props.stackName ?? id).digest('hex').slice(0, 4)}`;
    if (!/^[a-z0-9]{1,10}$/.test(qualifier)) {
      throw new Error(`${id}: assetQualifier must be 1-10 lowercase letters or digits (it goes into a bucket name), got "${qualifier}"`);
    }
    super(scope, id, {
      ...props,
      synthesizer: props.synthesizer ?? new ros.DefaultStackSynthesizer({ qualifier }),
    });

    this.production = new IntelligentProduction(this, 'Production', props);
    const p = this.production;

    output(this, 'InputBucketName', p.inputBucket.bucketName, 'Bucket jobs read inputs from');
    output(this, 'OutputBucketName', p.outputBucket.bucketName, 'Bucket jobs write outputs to');
    output(this, 'InputPrefix', p.inputPrefix, 'Key prefix of job inputs');
    output(this, 'OutputPrefix', p.outputPrefix, 'Key prefix of job outputs');
    output(this, 'PipelineId', p.pipeline.pipelineId, 'MPS pipeline jobs are scheduled on');
    if (p.queue !== undefined) output(this, 'QueueName', p.queue.queueName, 'MNS queue receiving job completions');
    if (p.topic !== undefined) output(this, 'TopicName', p.topic.topicName, 'MNS topic receiving job completions');
    if (p.runtime !== undefined) {
      if (p.runtime.serviceName !== undefined) output(this, 'RuntimeServiceName', p.runtime.serviceName, 'FC 2.0 service of the runtime');
      output(this, 'RuntimeFunctionName', p.runtime.functionName, 'FC function that submits and tracks jobs');
      output(this, 'RuntimeRoleArn', p.runtime.roleArn, 'RAM role the runtime runs as');
      output(this, 'RuntimeFailureQueueName', p.runtime.failureQueueName, 'MNS queue failed asynchronous invocations go to');
    }
    if (p.loop !== undefined) {
      output(this, 'LedgerInstanceName', p.loop.instanceName, 'Tablestore instance of the job ledger (iprod jobs --instance)');
      output(this, 'LedgerTableName', p.loop.tableName, 'Tablestore table of the job ledger (iprod jobs --table)');
      output(this, 'ResultsTopicName', p.loop.resultsTopic.topicName, 'MNS topic every upload\'s result is published to');
    }
    if (p.callbackQueue !== undefined && p.queue === undefined) {
      output(this, 'CallbackQueueName', p.callbackQueue.queueName, 'MNS queue for ICE\'s event callback (iprod callbacks set --queue)');
    }
  }
}

function output(stack: ros.Stack, id: string, value: string, description: string): void {
  new ros.RosOutput(stack, id, { value, description });
}
