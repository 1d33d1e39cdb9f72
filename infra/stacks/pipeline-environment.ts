// The variables of the pipeline functions that depend on the configuration: the account service, the person
// registry and the staff directory (shapes as the handlers parse them: functions/*/handler.ts, shared/config/env.ts).
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import { ACCOUNT_SERVICE_ENV, ENV, type LockdeskConfig } from "../config.ts";

/** The HTTP account service's variables on execute-action (shapes as functions/execute-action/handler.ts parses them). */
export function accountEnvironment(config: LockdeskConfig, accountsTable: dynamodb.ITable): Record<string, string> {
  if (config.accountMode === "SIMULATED") {
    return { [ENV.accountMode]: "SIMULATED", [ENV.accountsTable]: accountsTable.tableName };
  }
  if (config.accountMode === "HTTP") {
    if (!config.accountServiceUrl || !config.accountServiceSecretId) {
      throw new Error("accountMode HTTP needs accountServiceUrl and accountServiceSecretId");
    }
    return {
      [ENV.accountMode]: "HTTP",
      [ACCOUNT_SERVICE_ENV.url]: config.accountServiceUrl,
      [ACCOUNT_SERVICE_ENV.secretId]: config.accountServiceSecretId,
    };
  }
  return { [ENV.accountMode]: "MANUAL" };
}

/** ValidateCase's HTTP person registry variables (shared/config/env.ts), only when the registry is configured. */
export function personRegistryEnvironment(config: LockdeskConfig): Record<string, string> {
  const r = config.personRegistry;
  if (!r) return {};
  return {
    [ENV.personRegistryUrl]: r.url,
    [ENV.personRegistrySecretId]: r.secretId,
    ...(r.auth ? { [ENV.personRegistryAuth]: r.auth } : {}),
    ...(r.secretJsonKey ? { [ENV.personRegistrySecretJsonKey]: r.secretJsonKey } : {}),
    ...(r.timeoutMs !== undefined ? { [ENV.personRegistryTimeoutMs]: String(r.timeoutMs) } : {}),
  };
}

/**
 * ValidateCase's staff directory variables (shared/config/env.ts): HTTP when configured, else the staff.csv key in the
 * reference bucket (read under the reference/ prefix grant), else nothing (no staff check).
 */
export function staffDirectoryEnvironment(config: LockdeskConfig): Record<string, string> {
  const d = config.staffDirectory;
  if (d) {
    return {
      [ENV.staffDirectoryUrl]: d.url,
      [ENV.staffDirectorySecretId]: d.secretId,
      ...(d.auth ? { [ENV.staffDirectoryAuth]: d.auth } : {}),
      ...(d.secretJsonKey ? { [ENV.staffDirectorySecretJsonKey]: d.secretJsonKey } : {}),
    };
  }
  return config.staffKey ? { [ENV.staffKey]: config.staffKey } : {};
}
