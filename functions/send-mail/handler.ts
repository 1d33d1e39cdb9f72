// SendMail task: {caseId, kind: CONFIRMATION | RETURN_NOTICE} → {caseId, status}. SES v2 with the configuration
// set for bounces/complaints; a party the mail cannot reach gets a PDF letter in the archive bucket instead, addressed
// from the person registry (citizen) when the environment names one.
import { SESv2Client } from "@aws-sdk/client-sesv2";
import middy from "@middy/core";
import { z } from "zod";
import { SesMailer } from "../../shared/adapters/aws/ses-mailer.ts";
import { optionalPersonRegistry, parseInput, pipelineAdapters } from "../../shared/composition/aws.ts";
import { loadEnv, parseEnvWith } from "../../shared/config/env.ts";
import { SendMailInputSchema, type TaskResult } from "../../shared/use-cases/contracts.ts";
import { type SendMailDeps, sendMail } from "../../shared/use-cases/send-mail.ts";

export const MailEnvSchema = z.object({
  ARCHIVE_BUCKET: z.string().min(1),
  MAIL_FROM: z.email(),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** aws-ses-v2-local in the local stack (the SDK's own name for SES v2 is SESV2; SES accepted too). */
  AWS_ENDPOINT_URL_SESV2: z.url().optional(),
  AWS_ENDPOINT_URL_SES: z.url().optional(),
});

const parseMailEnv = parseEnvWith(MailEnvSchema);

export function makeHandler(deps: SendMailDeps) {
  return middy(async (event: unknown): Promise<TaskResult> => sendMail(parseInput(SendMailInputSchema, event), deps));
}

function coldStart(): SendMailDeps {
  const env = loadEnv();
  const mailEnv = parseMailEnv(process.env);
  const endpoint = mailEnv.AWS_ENDPOINT_URL_SESV2 ?? mailEnv.AWS_ENDPOINT_URL_SES ?? env.AWS_ENDPOINT_URL;
  const ses = new SESv2Client({ region: env.AWS_REGION, ...(endpoint ? { endpoint } : {}) });
  const { cases, scans, clock } = pipelineAdapters(env);
  const mailer = new SesMailer(ses, {
    from: mailEnv.MAIL_FROM,
    ...(mailEnv.SES_CONFIGURATION_SET ? { configurationSetName: mailEnv.SES_CONFIGURATION_SET } : {}),
  });
  // The registry gives a letter the citizen's postal address (never stored on the case). The staff directory for
  // the unit address is optional in SendMailDeps and wired where its adapters are composed.
  const registry = optionalPersonRegistry(env, scans);
  return {
    cases,
    scans,
    clock,
    mailer,
    config: { archiveBucket: mailEnv.ARCHIVE_BUCKET },
    ...(registry ? { registry } : {}),
  };
}

export const handler = makeHandler(coldStart());
export default handler;
