// The mail room's letters on the real DynamoDB adapters (dynalite): SendMail writes the letters onto the case, the
// waiting list is found through the status index, "posted" is written once with the optimistic lock and audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAuditLog } from "../../../shared/adapters/aws/dynamo-audit-log.ts";
import { createTables, DynamoCaseStore, documentClient } from "../../../shared/adapters/aws/dynamo-case-store.ts";
import { InvalidCaseStateError } from "../../../shared/domain/errors.ts";
import { executeAction } from "../../../shared/use-cases/execute-action.ts";
import { listLetters, markLetterPosted } from "../../../shared/use-cases/mailroom-letters.ts";
import { sendMail } from "../../../shared/use-cases/send-mail.ts";
import {
  fixedClock,
  MemoryScanStore,
  makeCase,
  RecordingAccountService,
  RecordingMailer,
} from "../../unit/routine/support.ts";
import { type Dynalite, startDynalite } from "./dynalite.ts";

let db: Dynalite;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.stop();
});

describe("letters on DynamoCaseStore + DynamoAuditLog (dynalite)", () => {
  it("lists a staff letter, marks it posted once, audits it", async () => {
    const names = { cases: "cases-letters", audit: "audit-letters" };
    await createTables(db.client, names);
    const doc = documentClient(db.client);
    const cases = new DynamoCaseStore(doc, names.cases);
    const audit = new DynamoAuditLog(doc, names.audit);
    const clock = fixedClock();
    const scans = new MemoryScanStore();
    await cases.create(makeCase({ fields: { "citizen.email": "", "verifier.email": "" } }));
    await executeAction({ caseId: "C-2025-0001" }, { cases, accounts: new RecordingAccountService(), clock, scans });
    await sendMail(
      { caseId: "C-2025-0001", kind: "CONFIRMATION" },
      { cases, scans, clock, mailer: new RecordingMailer(), config: { archiveBucket: "archive" } },
    );

    const before = await listLetters({ cases, clock });
    expect(before.waiting).toEqual([
      {
        caseId: "C-2025-0001",
        letterId: "confirmation-staff",
        kind: "CONFIRMATION",
        formCode: "1177-EGEN",
        date: "2025-03-20",
        recipient: "STAFF",
        addressMissing: true,
      },
    ]);

    const user = { userId: "post", displayName: "Post Rum", groups: ["mailroom" as const] };
    const deps = { cases, scans, audit, clock };
    const posted = await markLetterPosted({ caseId: "C-2025-0001", letterId: "confirmation-staff", user }, deps);
    expect(posted.posted).toEqual({ at: "2025-03-20T09:30:00.000Z", by: "user:post", name: "Post Rum" });
    await expect(
      markLetterPosted({ caseId: "C-2025-0001", letterId: "confirmation-staff", user }, deps),
    ).rejects.toBeInstanceOf(InvalidCaseStateError);

    const stored = await cases.get("C-2025-0001");
    expect(stored?.letters?.[0]?.posted?.name).toBe("Post Rum");
    expect(stored?.history.at(-1)?.what).toBe("Brev skickat 2025-03-20 av Post Rum (confirmation-staff)");
    const after = await listLetters({ cases, clock });
    expect(after.waiting).toEqual([]);
    expect(after.postedToday.map((l) => l.caseId)).toEqual(["C-2025-0001"]);
    expect((await audit.byCase("C-2025-0001")).map((e) => [e.action, e.user, e.detail])).toEqual([
      ["MARK_LETTER_POSTED", "user:post", "confirmation-staff"],
    ]);
  });
});
