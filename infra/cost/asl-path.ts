// A tiny walker over THE state machine definition: follows Next/Choice/Default through Pass, Task, Choice,
// Succeed and Fail states for a given execution input and given task results. It evaluates only the Choice
// operators the definition uses (And, Or, Not, IsPresent, StringEquals, BooleanEquals) and JSONPath of the
// form $.a.b. Used by the cost model (state transitions per form) and by the infra tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ASL_PATH = fileURLToPath(new URL("../state-machine/case.asl.json", import.meta.url));

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  Result?: unknown;
  Choices?: AslChoiceRule[];
  Default?: string;
  Retry?: Array<{ ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number }>;
  Catch?: Array<{ ErrorEquals: string[]; ResultPath?: string | null; Next: string }>;
}

export interface AslChoiceRule {
  Variable?: string;
  IsPresent?: boolean;
  StringEquals?: string;
  BooleanEquals?: boolean;
  And?: AslChoiceRule[];
  Or?: AslChoiceRule[];
  Not?: AslChoiceRule;
  Next?: string;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

export function loadAsl(path: string = ASL_PATH): AslDefinition {
  return JSON.parse(readFileSync(path, "utf8")) as AslDefinition;
}

type Json = unknown;

function getPath(data: Json, path: string): { found: boolean; value?: Json } {
  if (path === "$") return { found: true, value: data };
  if (!path.startsWith("$.")) throw new Error(`unsupported path ${path}`);
  let cur: Json = data;
  for (const part of path.slice(2).split(".")) {
    if (cur === null || typeof cur !== "object" || !(part in (cur as Record<string, Json>))) return { found: false };
    cur = (cur as Record<string, Json>)[part];
  }
  return { found: true, value: cur };
}

function setPath(data: Json, path: string | null | undefined, value: Json): Json {
  if (path === null) return data;
  if (path === undefined || path === "$") return value;
  const parts = path.slice(2).split(".");
  const root = structuredClone((data ?? {}) as Record<string, Json>);
  let cur = root;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    cur[part] = next !== null && typeof next === "object" ? next : {};
    cur = cur[part] as Record<string, Json>;
  }
  cur[parts[parts.length - 1] as string] = value;
  return root;
}

/** Applies a Parameters/ResultSelector template ("key.$": path). Missing paths throw, as on AWS. */
export function applyTemplate(template: Record<string, unknown>, data: Json): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$")) {
      const got = getPath(data, value as string);
      if (!got.found) throw new Error(`States.Runtime: path ${String(value)} not found`);
      out[key.slice(0, -2)] = got.value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function matches(rule: AslChoiceRule, data: Json): boolean {
  if (rule.And) return rule.And.every((r) => matches(r, data));
  if (rule.Or) return rule.Or.some((r) => matches(r, data));
  if (rule.Not) return !matches(rule.Not, data);
  if (!rule.Variable) throw new Error("choice rule without Variable");
  const got = getPath(data, rule.Variable);
  if (rule.IsPresent !== undefined) return got.found === rule.IsPresent;
  if (rule.StringEquals !== undefined) return got.found && got.value === rule.StringEquals;
  if (rule.BooleanEquals !== undefined) return got.found && got.value === rule.BooleanEquals;
  throw new Error(`unsupported choice rule ${JSON.stringify(rule)}`);
}

export interface VisitedTask {
  state: string;
  resource: string;
  input: Json;
}

export interface WalkResult {
  /** Every state entered, in order (each one is a state transition). */
  states: string[];
  tasks: VisitedTask[];
  end: "Succeed" | "Fail";
}

/**
 * Walks the definition. `taskResult(state, resource, input)` returns the task's result, or throws an object
 * `{ Error, Cause }` to take the Catch whose ErrorEquals matches (retries are not simulated).
 */
export function walkAsl(
  asl: AslDefinition,
  input: Json,
  taskResult: (state: string, resource: string, input: Json) => Json,
  maxSteps = 100,
): WalkResult {
  const states: string[] = [];
  const tasks: VisitedTask[] = [];
  let name = asl.StartAt;
  let data: Json = input;
  for (let step = 0; step < maxSteps; step++) {
    const state = asl.States[name];
    if (!state) throw new Error(`no state ${name}`);
    states.push(name);
    switch (state.Type) {
      case "Succeed":
        return { states, tasks, end: "Succeed" };
      case "Fail":
        return { states, tasks, end: "Fail" };
      case "Choice": {
        const hit = (state.Choices ?? []).find((c) => matches(c, data));
        const next = hit?.Next ?? state.Default;
        if (!next) throw new Error(`States.NoChoiceMatched in ${name}`);
        name = next;
        continue;
      }
      case "Pass":
        data = setPath(data, state.ResultPath, state.Result !== undefined ? state.Result : data);
        break;
      case "Task": {
        const taskInput = state.Parameters ? applyTemplate(state.Parameters, data) : data;
        const resource = state.Resource ?? "";
        tasks.push({ state: name, resource, input: taskInput });
        try {
          const raw = taskResult(name, resource, taskInput);
          const selected = state.ResultSelector ? applyTemplate(state.ResultSelector, raw) : raw;
          data = setPath(data, state.ResultPath, selected);
        } catch (err) {
          const error = err as { Error?: string; Cause?: string };
          if (typeof error?.Error !== "string") throw err;
          const errorName = error.Error;
          const handler = (state.Catch ?? []).find(
            (c) => c.ErrorEquals.includes(errorName) || c.ErrorEquals.includes("States.ALL"),
          );
          if (!handler) return { states, tasks, end: "Fail" };
          data = setPath(data, handler.ResultPath, { Error: errorName, Cause: error.Cause ?? "" });
          name = handler.Next;
          continue;
        }
        break;
      }
      default:
        throw new Error(`unsupported state type ${state.Type}`);
    }
    if (state.End) return { states, tasks, end: "Succeed" };
    if (!state.Next) throw new Error(`state ${name} has neither Next nor End`);
    name = state.Next;
  }
  throw new Error("too many steps (loop?)");
}
