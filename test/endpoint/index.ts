// The local ICE endpoint now lives in lib/testing (shipped as 'ros-cdk-iproduction/testing'); tests keep importing it here.
export * from '../../lib/testing';
