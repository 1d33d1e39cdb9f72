// Mail room texts: case statuses in Swedish and the file name as the mail room chose it. Pure functions, no DOM,
// so the page script and the tests share them (types in intake-view.d.ts).

/** The case statuses as the mail room sees them. */
export const STATUS_LABELS = Object.freeze({
  RECEIVED: "Mottagen",
  READ: "Läst",
  IN_REVIEW: "Hos handläggare",
  AWAITING_SECOND_APPROVAL: "Hos handläggare",
  APPROVED: "Godkänd",
  EXECUTING: "Utförs",
  AWAITING_MANUAL_EXECUTION: "Väntar på manuell åtgärd",
  EXECUTED: "Utförd",
  RETURNED: "Returnerad",
  CLOSED: "Avslutad",
  FAILED: "Fel – hos handläggare",
});

/** Swedish text of a case status; an unknown code is shown as it is. */
export function statusLabel(code) {
  return Object.hasOwn(STATUS_LABELS, code) ? STATUS_LABELS[code] : String(code ?? "");
}

// Uploads are stored as incoming/<date>/<uuid>-<file name>; the case's file name is the key's last segment.
const UPLOAD_PREFIX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-(?=.)/i;

/** The file name without the upload's uuid prefix (names without one are returned unchanged). */
export function originalFileName(name) {
  return String(name ?? "").replace(UPLOAD_PREFIX, "");
}

/** Scanner formats the mail room may upload, by file name ending. */
export const SCAN_EXTENSIONS = Object.freeze(["png", "jpg", "jpeg", "tif", "tiff", "pdf"]);

/** Why a file is refused before upload, in Swedish; null for a scan format. */
export function unsupportedReason(name) {
  const parts = String(name ?? "").split(".");
  const ext = parts.length > 1 ? (parts.pop() ?? "").toLowerCase() : "";
  if (SCAN_EXTENSIONS.includes(ext)) return null;
  const how = "Skanna blanketten som PNG, JPEG, TIFF eller PDF.";
  return ext ? `Filtypen .${ext} stöds inte. ${how}` : `Filtypen stöds inte. ${how}`;
}
