// THE state machine definition (infra/state-machine/case.asl.json) made runnable locally: each Task's
// `${<Name>FunctionArn}` is replaced by a local ARN, and the Task states are mapped to their pipeline functions.
import { readFileSync } from "node:fs";
import type { StateMachineDefinition } from "aws-local-stepfunctions";
import { aslArnVariable, PIPELINE_FUNCTIONS, type PipelineFunctionName } from "../shared/config/names.ts";

export const LOCAL_ACCOUNT = "000000000000";

export function localFunctionArn(name: PipelineFunctionName, region: string): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:lockdesk-local-${name}`;
}

export interface LoadedDefinition {
  definition: StateMachineDefinition;
  /** Task state name → the pipeline function its Resource names. */
  taskFunctions: Record<string, PipelineFunctionName>;
}

/**
 * Reads the ASL file and replaces the `${XFunctionArn}` substitutions (the CDK's definitionSubstitutions) with
 * local ARNs. Tasks without TimeoutSeconds get their Lambda's timeout: on AWS the Lambda timeout bounds a task,
 * while aws-local-stepfunctions would otherwise cut every task at 60 s (too short for OCR on a busy laptop).
 */
export function loadDefinition(aslPath: string, region: string): LoadedDefinition {
  let text = readFileSync(aslPath, "utf8");
  const byArn = new Map<string, PipelineFunctionName>();
  for (const name of Object.keys(PIPELINE_FUNCTIONS) as PipelineFunctionName[]) {
    const arn = localFunctionArn(name, region);
    text = text.split(`\${${aslArnVariable(name)}}`).join(arn);
    byArn.set(arn, name);
  }
  const leftover = /\$\{([A-Za-z0-9]+)\}/.exec(text);
  if (leftover) throw new Error(`ASL substitution without a local value: ${leftover[1]}`);
  const definition = JSON.parse(text) as StateMachineDefinition;
  const taskFunctions: Record<string, PipelineFunctionName> = {};
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type !== "Task") continue;
    const fn = byArn.get(state.Resource);
    if (!fn) throw new Error(`Task ${stateName}: resource ${state.Resource} is not a pipeline function`);
    taskFunctions[stateName] = fn;
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = PIPELINE_FUNCTIONS[fn].timeoutSeconds;
    }
  }
  return { definition, taskFunctions };
}
