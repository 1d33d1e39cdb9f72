import { describe, expect, it } from "vitest";
import { isEmailAddress, isNearMissDomain, repairEmail } from "../../../shared/extraction/email.ts";

describe("e-mail fields read by OCR", () => {
  it("keeps a clean address", () => {
    expect(repairEmail("elsa.eklund@vgregion.se")).toEqual({
      value: "elsa.eklund@vgregion.se",
      repaired: false,
      valid: true,
      guessed: false,
    });
  });

  it("a repair that had to choose a letter is a guess (never mailed); a unique @ or edge junk is not", () => {
    expect(repairEmail("gosta lindberg@telia.com")).toMatchObject({ value: "gosta.lindberg@telia.com", guessed: true });
    expect(repairEmail("gosta,lindberg@telia.com").guessed).toBe(true);
    expect(repairEmail("jenny.göransson@regionstockholm.se").guessed).toBe(true);
    expect(repairEmail("elsa.eklundQvgregion.se")).toMatchObject({ value: "elsa.eklund@vgregion.se", guessed: false });
    expect(repairEmail("|elsa.eklund@vgregion.se-").guessed).toBe(false);
  });

  it("a domain one look-alike letter from a well-known one is a near miss; the domain itself and others are not", () => {
    expect(isNearMissDomain("anna.berg@vgregjon.se")).toBe(true);
    expect(isNearMissDomain("anna.berg@hotmai1.com")).toBe(true);
    expect(isNearMissDomain("anna.berg@vgregion.se")).toBe(false);
    expect(isNearMissDomain("anna.berg@halsokallan.se")).toBe(false);
    expect(isNearMissDomain("anna.berg@regionstockholm.se")).toBe(false);
  });

  it("repairs an @ read as Q or &", () => {
    expect(repairEmail("elsa.eklundQvgregion.se").value).toBe("elsa.eklund@vgregion.se");
    expect(repairEmail("alva.lindberg&halsokallan.se").value).toBe("alva.lindberg@halsokallan.se");
    expect(repairEmail("beroendemottagningen.molndalqvgregion.se-").value).toBe(
      "beroendemottagningen.molndal@vgregion.se",
    );
  });

  it("repairs a dot lost as a space and folds diacritics", () => {
    expect(repairEmail("anna svensson@vgregion.se").value).toBe("anna.svensson@vgregion.se");
    expect(repairEmail("jenny.göransson@regionstockholm.se").value).toBe("jenny.goransson@regionstockholm.se");
    expect(repairEmail("stig.pettersson@vgregion se").value).toBe("stig.pettersson@vgregion.se");
  });

  it("does not guess when two repairs fit or none does", () => {
    // Both Q's could be the @: "aQbQc.se" → a@bqc.se or aqb@c.se
    const twice = repairEmail("aQbQc.se");
    expect(twice.valid).toBe(false);
    expect(repairEmail("not an address").valid).toBe(false);
    expect(repairEmail("").value).toBe("");
  });

  it("knows what an address is", () => {
    expect(isEmailAddress("a@b.se")).toBe(true);
    expect(isEmailAddress("a@@b.se")).toBe(false);
    expect(isEmailAddress("a@b")).toBe(false);
    expect(isEmailAddress("<script>@x.se")).toBe(false);
  });
});
