// The reader's reasons for refusing a file (shared/extraction/decode.ts), in plain Swedish for people.
import { describe, expect, it } from "vitest";
import { unreadableCause, unreadableText } from "../../../shared/domain/unreadable.ts";

describe("unreadable scans in Swedish", () => {
  it.each([
    ["file is empty (0 bytes)", "Filen är tom."],
    ["PDF is encrypted", "PDF-filen är krypterad."],
    [
      "file named .docx is not a PNG, JPEG, TIFF or PDF (unrecognised content)",
      "Filen är inte en bild eller PDF (PNG, JPEG, TIFF eller PDF).",
    ],
    ["file is 80.0 MB; at most 50.0 MB is accepted", "Filen är för stor."],
    ["PDF has 40 pages; at most 20 are read", "Filen har för många sidor."],
    ["page 1 image exceeds 60 Mpx per page", "Bilden har för många bildpunkter."],
    ["decoding took longer than 20 s; file refused", "Det tog för lång tid att läsa filen."],
    ["PDF is damaged: its page tree cannot be read", "PDF-filen är skadad eller saknar skannad bild."],
    ["PNG header is corrupt or truncated", "Filen är skadad eller ofullständig."],
    ["something new", "Filen kunde inte läsas."],
  ])("%s → %s", (cause, text) => {
    expect(unreadableText(cause)).toBe(text);
  });

  it("finds the reader's reason on a parked or a failed case, and nothing on others", () => {
    expect(
      unreadableCause({ reviewReason: "The scan could not be read (PDF is encrypted); check the original file." }),
    ).toBe("PDF is encrypted");
    expect(unreadableCause({ failure: { error: "UnreadableScanError", cause: "file is empty (0 bytes)" } })).toBe(
      "file is empty (0 bytes)",
    );
    expect(unreadableCause({ reviewReason: "Beslutet kräver godkännande av två olika handläggare." })).toBeNull();
    expect(unreadableCause({ failure: { error: "ArchiveVerificationError", cause: "x" } })).toBeNull();
  });
});
