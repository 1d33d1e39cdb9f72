// The routine's Lambda handlers: zod-parsed input → use case, with in-memory ports (makeHandler), and the
// default-wired handlers' environment parsing.

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { HttpAccountService } from "../../../shared/adapters/http/http-account-service.ts";
import { ManualAccountService } from "../../../shared/adapters/local/manual-account-service.ts";
import { MemoryCaseStore } from "../../../shared/adapters/local/memory-case-store.ts";
import { SimulatedAccountService } from "../../../shared/adapters/local/simulated-account-service.ts";
import { parseEnvWith } from "../../../shared/config/env.ts";
import { ValidationError } from "../../../shared/domain/errors.ts";
import { fixedClock, MemoryScanStore, makeCase, RecordingAccountService, RecordingMailer } from "./support.ts";

// The handler modules build their default deps at import (cold start): give them an environment.
vi.hoisted(() => {
  process.env.CASES_TABLE = "cases";
  process.env.ACCOUNT_MODE = "SIMULATED";
  process.env.ACCOUNTS_TABLE = "accounts";
  process.env.ARCHIVE_BUCKET = "archive";
  process.env.MAIL_FROM = "sparr@lockdesk.example.se";
  process.env.AWS_REGION = "eu-north-1";
});

const execute = await import("../../../functions/execute-action/handler.ts");
const send = await import("../../../functions/send-mail/handler.ts");
const archive = await import("../../../functions/archive-scan/handler.ts");
const { awsDeps } = await import("../../../functions/api/handler.ts");

const ctx = {} as Context;

describe("routine handlers", () => {
  it("run execute → confirmation → archive through their handlers", async () => {
    const cases = new MemoryCaseStore();
    await cases.create(makeCase({}));
    const scans = new MemoryScanStore();
    await scans.put("scans", "incoming/scan-1.png", new Uint8Array([1, 2, 3]));
    const clock = fixedClock();
    const accounts = new RecordingAccountService();
    const mailer = new RecordingMailer();
    const ex = execute.makeHandler({ cases, accounts, clock, scans });
    const sm = send.makeHandler({ cases, mailer, scans, clock, config: { archiveBucket: "archive" } });
    const ar = archive.makeHandler({ cases, scans, clock, config: { archiveBucket: "archive", retentionDays: 30 } });

    expect(await ex({ caseId: "C-2025-0001" }, ctx)).toEqual({ caseId: "C-2025-0001", status: "EXECUTING" });
    expect(await sm({ caseId: "C-2025-0001", kind: "CONFIRMATION" }, ctx)).toEqual({
      caseId: "C-2025-0001",
      status: "EXECUTED",
    });
    expect(await ar({ caseId: "C-2025-0001", extra: "state is ignored" }, ctx)).toEqual({
      caseId: "C-2025-0001",
      route: "DONE",
      status: "EXECUTED",
    });
    expect(accounts.calls).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    expect(scans.deleted).toEqual(["scans/incoming/scan-1.png"]);
  });

  it("reject bad task input with ValidationError", async () => {
    const cases = new MemoryCaseStore();
    const clock = fixedClock();
    const sm = send.makeHandler({
      cases,
      mailer: new RecordingMailer(),
      scans: new MemoryScanStore(),
      clock,
      config: { archiveBucket: "a" },
    });
    await expect(sm({ caseId: "C-1", kind: "POSTCARD" }, ctx)).rejects.toBeInstanceOf(ValidationError);
    const ex = execute.makeHandler({
      cases,
      accounts: new RecordingAccountService(),
      clock,
      scans: new MemoryScanStore(),
    });
    await expect(ex({}, ctx)).rejects.toBeInstanceOf(ValidationError);
  });

  it("choose the account service from ACCOUNT_MODE", () => {
    const dynamo = new DynamoDBClient({ region: "eu-north-1" });
    expect(execute.accountServiceFromEnv({ ACCOUNTS_TABLE: "t" }, dynamo)).toBeInstanceOf(SimulatedAccountService);
    expect(execute.accountServiceFromEnv({ ACCOUNT_MODE: "MANUAL" }, dynamo)).toBeInstanceOf(ManualAccountService);
    expect(
      execute.accountServiceFromEnv(
        { ACCOUNT_MODE: "HTTP", ACCOUNT_SERVICE_URL: "https://acc.example.se", ACCOUNT_SERVICE_SECRET_ID: "s" },
        dynamo,
      ),
    ).toBeInstanceOf(HttpAccountService);
    expect(() => execute.accountServiceFromEnv({ ACCOUNT_MODE: "HTTP" }, dynamo)).toThrow(ValidationError);
    expect(() => execute.accountServiceFromEnv({ ACCOUNT_MODE: "SIMULATED" }, dynamo)).toThrow(ValidationError);
    dynamo.destroy();
  });

  it("the default-wired handlers exist and parse their environment", () => {
    expect(typeof execute.handler).toBe("function");
    expect(typeof send.handler).toBe("function");
    expect(typeof archive.handler).toBe("function");
    expect(send.MailEnvSchema.safeParse({ ARCHIVE_BUCKET: "a", MAIL_FROM: "not an address" }).success).toBe(false);
    expect(
      send.MailEnvSchema.safeParse({ ARCHIVE_BUCKET: "a", MAIL_FROM: "sparr-och-loggservice@lockdesk.local" }).success,
    ).toBe(true);
    expect(archive.ArchiveEnvSchema.parse({ ARCHIVE_BUCKET: "a" }).ARCHIVE_RETENTION_DAYS).toBe(3650);
  });
});

describe("parseEnvWith: every handler's own variables, one error", () => {
  const messageOf = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as Error).message;
    }
    throw new Error("expected a ValidationError");
  };

  it("one line naming each bad variable once, never its value", () => {
    const parse = parseEnvWith(send.MailEnvSchema);
    const message = messageOf(() => parse({ MAIL_FROM: "hemligt-värde", AWS_ENDPOINT_URL_SES: "x" }));
    expect(message).toBe("invalid environment: ARCHIVE_BUCKET, MAIL_FROM, AWS_ENDPOINT_URL_SES");
    expect(parse({ ARCHIVE_BUCKET: "a", MAIL_FROM: "sparr@lockdesk.example.se" }).ARCHIVE_BUCKET).toBe("a");
  });

  it("the same error from the archive, account and API handlers", () => {
    expect(messageOf(() => parseEnvWith(archive.ArchiveEnvSchema)({ ARCHIVE_RETENTION_DAYS: "-1" }))).toBe(
      "invalid environment: ARCHIVE_BUCKET, ARCHIVE_RETENTION_DAYS",
    );
    const dynamo = new DynamoDBClient({ region: "eu-north-1" });
    expect(messageOf(() => execute.accountServiceFromEnv({ ACCOUNT_MODE: "HTTP" }, dynamo))).toBe(
      "invalid environment: ACCOUNT_SERVICE_URL, ACCOUNT_SERVICE_SECRET_ID",
    );
    dynamo.destroy();
    expect(messageOf(() => awsDeps({ AWS_REGION: "eu-north-1" }))).toMatch(/^invalid environment: CASES_TABLE, /);
  });
});
