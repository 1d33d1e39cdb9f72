// Mail room: its page, presigned uploads and the intake list.
import { actorId } from "../../../shared/auth/principal.ts";
import { IntakeQuerySchema } from "../../../shared/openapi/schemas.ts";
import { createUploads, getIntake, UploadsBodySchema } from "../../../shared/use-cases/intake.ts";
import { swedishDate } from "../../../shared/use-cases/urgent-case.ts";
import { renderMailroom } from "../../../web/mailroom-page.ts";
import { html, json } from "../http.ts";
import { MAILROOM, must, parseBody, parseQuery, type Route } from "./routing.ts";

export const mailroomRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/mailroom$/,
    access: MAILROOM,
    page: true,
    run: async ({ deps, user }) => html(200, renderMailroom(must(user), swedishDate(deps.clock.now()))),
  },
  {
    method: "POST",
    pattern: /^\/api\/uploads$/,
    access: MAILROOM,
    run: async ({ req, deps, user }) => {
      const created = await createUploads({ ...parseBody(UploadsBodySchema, req), by: actorId(must(user)) }, deps);
      // Audited per file: who uploaded which object for which receipt date (the key names the file).
      const at = deps.clock.now().toISOString();
      for (const u of created.uploads) {
        await deps.audit.append({
          at,
          user: actorId(must(user)),
          caseId: u.key,
          action: "MAILROOM_UPLOAD",
          detail: `mottagningsdatum ${created.receivedDate}`,
        });
      }
      return json(201, created);
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/intake$/,
    access: MAILROOM,
    run: async ({ req, deps }) => json(200, await getIntake(parseQuery(IntakeQuerySchema, req), deps)),
  },
];
