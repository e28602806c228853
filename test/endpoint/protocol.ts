// Moved to lib/testing/ice/ (shipped as 'ros-cdk-iproduction/testing'); this path stays for the tests and tools that import it.
export * from '../../lib/testing/ice/protocol';
