// ExecuteAction task: {caseId} → {caseId, route?: DONE, status}. The account service comes from ACCOUNT_MODE:
// SIMULATED (accounts table), MANUAL (a handler does it in the staff tool) or HTTP (docs/account-service.openapi.yaml).
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import middy from "@middy/core";
import { z } from "zod";
import { HttpAccountService, secretsManagerSecretProvider } from "../../shared/adapters/http/http-account-service.ts";
import { ManualAccountService } from "../../shared/adapters/local/manual-account-service.ts";
import { SimulatedAccountService } from "../../shared/adapters/local/simulated-account-service.ts";
import { awsClients, parseInput, pipelineAdapters } from "../../shared/composition/aws.ts";
import { loadEnv, parseEnvWith } from "../../shared/config/env.ts";
import type { AccountService } from "../../shared/ports/account-service.ts";
import { CaseRefSchema, type TaskResult } from "../../shared/use-cases/contracts.ts";
import { type ExecuteActionDeps, executeAction } from "../../shared/use-cases/execute-action.ts";

export const AccountEnvSchema = z.discriminatedUnion("ACCOUNT_MODE", [
  z.object({ ACCOUNT_MODE: z.literal("SIMULATED"), ACCOUNTS_TABLE: z.string().min(1) }),
  z.object({ ACCOUNT_MODE: z.literal("MANUAL") }),
  z.object({
    ACCOUNT_MODE: z.literal("HTTP"),
    ACCOUNT_SERVICE_URL: z.url(),
    ACCOUNT_SERVICE_SECRET_ID: z.string().min(1),
  }),
]);

const parseAccountEnv = parseEnvWith(AccountEnvSchema);

/** The account service for the configured mode; the DynamoDB client is the pipeline's (emulator endpoint locally). */
export function accountServiceFromEnv(
  source: Record<string, string | undefined>,
  dynamo: DynamoDBClient,
): AccountService {
  const env = parseAccountEnv({ ACCOUNT_MODE: "SIMULATED", ...source });
  if (env.ACCOUNT_MODE === "MANUAL") return new ManualAccountService();
  if (env.ACCOUNT_MODE === "SIMULATED") return new SimulatedAccountService(dynamo, env.ACCOUNTS_TABLE);
  const secrets = secretsManagerSecretProvider(new SecretsManagerClient({}), env.ACCOUNT_SERVICE_SECRET_ID);
  return new HttpAccountService({ baseUrl: env.ACCOUNT_SERVICE_URL, secrets });
}

export function makeHandler(deps: ExecuteActionDeps) {
  return middy(async (event: unknown): Promise<TaskResult> => executeAction(parseInput(CaseRefSchema, event), deps));
}

function coldStart(): ExecuteActionDeps {
  const env = loadEnv();
  const clients = awsClients(env);
  const { cases, clock, scans } = pipelineAdapters(env, clients);
  return { cases, clock, scans, accounts: accountServiceFromEnv(process.env, clients.dynamo) };
}

export const handler = makeHandler(coldStart());
export default handler;
