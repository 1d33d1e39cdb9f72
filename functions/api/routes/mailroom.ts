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
    run: async ({ req, deps, user }) =>
      json(201, await createUploads({ ...parseBody(UploadsBodySchema, req), by: actorId(must(user)) }, deps)),
  },
  {
    method: "GET",
    pattern: /^\/api\/intake$/,
    access: MAILROOM,
    run: async ({ req, deps }) => json(200, await getIntake(parseQuery(IntakeQuerySchema, req), deps)),
  },
];
