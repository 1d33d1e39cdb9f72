// Structured logging of the pipeline: case ids, steps and statuses only — never a personnummer, a name or a field
// value. On AWS the composition root passes Powertools' Logger (it fits this shape); elsewhere a JSON line logger.

export type LogAttributes = Record<string, unknown>;

export interface CaseLogger {
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}
