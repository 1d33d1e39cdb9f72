// The mail room's letters (issue 12): the page, the list, each letter's PDF and "posted". A module of its own so the
// case and upload routes stay apart; router.ts adds these to its table.
import type { Principal } from "../../../shared/auth/principal.ts";
import { AuthenticationError } from "../../../shared/domain/errors.ts";
import { CaseIdSchema } from "../../../shared/openapi/schemas.ts";
import {
  getLetterPdf,
  LetterIdSchema,
  listLetters,
  markLetterPosted,
} from "../../../shared/use-cases/mailroom-letters.ts";
import { renderLetters } from "../../../web/letters-page.ts";
import { html, json } from "../http.ts";
import { ID as CASE, MAILROOM, type Route } from "./routing.ts";

const LETTER = "([a-z-]{1,40})";

function signedIn(user: Principal | null): Principal {
  if (!user) throw new AuthenticationError("not signed in");
  return user;
}

function ids(params: string[]): { caseId: string; letterId: string } {
  return { caseId: CaseIdSchema.parse(params[0]), letterId: LetterIdSchema.parse(params[1]) };
}

export const letterRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/mailroom\/letters$/,
    access: MAILROOM,
    page: true,
    run: async ({ deps, user }) => html(200, renderLetters(await listLetters(deps), signedIn(user))),
  },
  {
    // A page route (the SameSite=Strict cookie): "Öppna PDF" is a link that opens in a new tab.
    method: "GET",
    pattern: new RegExp(`^/mailroom/letters/${CASE}/${LETTER}\\.pdf$`),
    access: MAILROOM,
    page: true,
    run: async ({ deps, user, params }) => {
      const { caseId, letterId } = ids(params);
      const pdf = await getLetterPdf({ caseId, letterId, user: signedIn(user) }, deps);
      return {
        status: 200,
        headers: {
          "content-type": "application/pdf",
          "content-disposition": `inline; filename="brev-${caseId}-${letterId}.pdf"`,
          "cache-control": "private, no-store",
          "x-content-type-options": "nosniff",
        },
        body: pdf,
      };
    },
  },
  {
    method: "GET",
    pattern: /^\/api\/letters$/,
    access: MAILROOM,
    run: async ({ deps }) => json(200, await listLetters(deps)),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/api/letters/${CASE}/${LETTER}/posted$`),
    access: MAILROOM,
    run: async ({ deps, user, params }) =>
      json(200, { letter: await markLetterPosted({ ...ids(params), user: signedIn(user) }, deps) }),
  },
];
