// What every route module shares: the API's dependencies, the route shape, access groups and the body/query
// parsers. The router (functions/api/router.ts) joins the route modules by area (cases, mail room, admin).

import type { Logger } from "@aws-lambda-powertools/logger";
import type { z } from "zod";
import type { DevLogin } from "../../../shared/auth/dev-login.ts";
import type { HostedSignIn } from "../../../shared/auth/hosted-sign-in.ts";
import type { Group, Principal } from "../../../shared/auth/principal.ts";
import type { TokenVerifier } from "../../../shared/auth/verifier.ts";
import { AuthenticationError, LockdeskError, ValidationError } from "../../../shared/domain/errors.ts";
import type { FourEyesSettings } from "../../../shared/domain/four-eyes.ts";
import { CaseIdSchema } from "../../../shared/openapi/schemas.ts";
import type { AuditLog } from "../../../shared/ports/audit-log.ts";
import type { CaseStore } from "../../../shared/ports/case-store.ts";
import type { Clock } from "../../../shared/ports/clock.ts";
import type { CaregiverListAdmin, PersonRegistry } from "../../../shared/ports/person-registry.ts";
import type { Resumer } from "../../../shared/ports/resumer.ts";
import type { ScanStore, StoredScan } from "../../../shared/ports/scan-store.ts";
import type { MaskBox } from "../../../shared/use-cases/case-detail.ts";
import type { IntakeConfig, UploadSigner } from "../../../shared/use-cases/intake.ts";
import type { ApiRequest, ApiResponse } from "../http.ts";

export interface ApiDeps {
  cases: CaseStore;
  audit: AuditLog;
  scans: ScanStore;
  clock: Clock;
  resumer: Resumer;
  verifier: TokenVerifier;
  signer: UploadSigner;
  intake: IntakeConfig;
  /** One page (0-based, default the first) of a scan as PNG or JPEG, masks blacked out (functions/api/scan-image.ts). */
  scanToImage: (
    scan: StoredScan,
    fileName: string,
    masks?: readonly MaskBox[],
    page?: number,
  ) => Promise<{ bytes: Uint8Array; contentType: string }>;
  /** The approved-caregivers list admins maintain (/api/admin/caregivers). Optional: without it those routes answer 404. */
  caregivers?: CaregiverListAdmin;
  /** The population registry, for the facts on the case page (registry name, guardians). Optional: without it the page shows what validation recorded. */
  persons?: PersonRegistry;
  /** Users' display names by user id ("anna" → "Anna Handläggare"), for history and claims on the case page. */
  displayNames?: Readonly<Record<string, string>>;
  /** On AWS: Cognito's hosted sign-in (OAuth code flow with PKCE) for the login page. Absent locally. */
  signIn?: HostedSignIn;
  /** Only in the local stack: POST /api/dev-login. Absent on AWS (Cognito signs users in). */
  devLogin?: DevLogin;
  /** The region's four-eyes setting (FOUR_EYES_ALL_UNLOCKS); default: off. */
  fourEyes?: FourEyesSettings;
  logger?: Pick<Logger, "error" | "warn">;
}

export type Access = "public" | "authenticated" | readonly Group[];
export const MAILROOM: readonly Group[] = ["mailroom"];
export const HANDLER: readonly Group[] = ["handler"];
export const ADMIN: readonly Group[] = ["admin"];

export interface Ctx {
  req: ApiRequest;
  deps: ApiDeps;
  params: string[];
  user: Principal | null;
}
export interface Route {
  method: string;
  pattern: RegExp;
  access: Access;
  page?: boolean;
  run: (ctx: Ctx) => Promise<ApiResponse>;
}

export const ID = "([A-Za-z0-9._:-]{1,128})";

export class RequestValidationError extends ValidationError {
  constructor(readonly zodError: z.ZodError) {
    super("request does not match the schema");
  }
}

/** A route whose optional dependency is not configured (answers 404). */
export class NotConfiguredError extends LockdeskError {}

export function parseBody<T extends z.ZodType>(schema: T, req: ApiRequest): z.infer<T> {
  let raw: unknown;
  try {
    raw = req.body === undefined || req.body === "" ? undefined : JSON.parse(req.body);
  } catch {
    throw new ValidationError("body is not valid JSON");
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new RequestValidationError(result.error);
  return result.data;
}

export function parseQuery<T extends z.ZodType>(schema: T, req: ApiRequest): z.infer<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) throw new RequestValidationError(result.error);
  return result.data;
}

export function must(user: Principal | null): Principal {
  if (!user) throw new AuthenticationError("not signed in");
  return user;
}

/** The i-th path parameter, checked as a case id. */
export function param(ctx: Ctx, i = 0): string {
  const v = ctx.params[i];
  if (v === undefined) throw new ValidationError("missing path parameter");
  return CaseIdSchema.parse(v);
}
