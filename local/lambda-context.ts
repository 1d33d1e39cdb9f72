// A minimal Lambda context for handlers run by the local stack (main thread or ReadForm containers):
// middy and Powertools read these fields.

export interface LocalFunction {
  functionName: string;
  invokedFunctionArn: string;
  memoryMb: number;
  timeoutSeconds: number;
}

export function lambdaContext(fn: LocalFunction): Record<string, unknown> {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  return {
    awsRequestId: crypto.randomUUID(),
    functionName: fn.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: fn.invokedFunctionArn,
    memoryLimitInMB: String(fn.memoryMb),
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
