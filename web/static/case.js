// Case page: scan viewer (zoom, rotate, pan) with the focused field's box highlighted, corrections, decisions,
// manual entry of an unrecognised document, phone calls.
// Keyboard: Tab moves through fields; Esc leaves a field; Alt+G approves, Alt+R returns (WCAG 2.1.4: a modifier is
// needed, and the shortcuts can be turned off with the checkbox in the decision bar; the choice is remembered).
import { api } from "./common.js";

const main = document.querySelector("main.case");
const caseId = main.dataset.caseId;
const me = main.dataset.user;
let version = Number(main.dataset.version);
const message = document.getElementById("message");
const img = document.getElementById("scan");
const highlight = document.getElementById("highlight");
const inputs = [...document.querySelectorAll("#fields-form [data-field]")];
const myName = main.dataset.userName || me;
const STATUS = {
  IN_REVIEW: "Väntar på handläggare",
  AWAITING_SECOND_APPROVAL: "Väntar på andra handläggare",
  APPROVED: "Godkänd – körs",
  CLOSED: "Avslutad",
  RETURNED: "Returnerad",
  EXECUTED: "Utförd",
};
const OUTCOME = { VERIFIED: "Verifierad", NOT_VERIFIED: "Ej verifierad", NO_ANSWER: "Inget svar" };
const timeFormat = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Stockholm",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

/** Who holds the case, by name (the page knows only the signed-in user's name; others stay as the server wrote). */
function showClaim(claimedBy) {
  const el = document.getElementById("claimed-by");
  el.dataset.claimedBy = claimedBy ?? "";
  el.textContent = !claimedBy ? "ingen" : claimedBy === me ? myName : claimedBy.replace(/^user:/, "");
}

function say(text, isError = false) {
  message.textContent = text;
  message.className = isError ? "error" : "ok";
}

function setVersion(v) {
  version = v;
  main.dataset.version = String(v);
  document.getElementById("version").textContent = String(v);
}

const tools = document.querySelector(".viewer-tools");
const pageCount = Number(tools?.dataset.pageCount || 1);
let currentPage = 1;

async function loadScan() {
  if (!img) return;
  const q = currentPage > 1 ? `?page=${currentPage}` : "";
  const res = await api("GET", `/api/cases/${encodeURIComponent(caseId)}/scan${q}`);
  if (res.ok) img.src = URL.createObjectURL(res.data);
  else say(res.data?.message ?? "Skanningen kunde inte visas.", true);
  img.dataset.page = String(currentPage);
  // The registration's turn belongs to the form page; an attachment is shown as it is.
  view.rotation = currentPage === 1 ? upright : 0;
  applyView();
  const label = document.getElementById("page-label");
  if (label) label.textContent = `Sida ${currentPage} av ${pageCount}`;
  const prev = document.getElementById("page-prev");
  const next = document.getElementById("page-next");
  if (prev) prev.disabled = currentPage <= 1;
  if (next) next.disabled = currentPage >= pageCount;
  // Field boxes belong to the form page: no highlight on an attachment page.
  if (highlight && currentPage !== 1) highlight.hidden = true;
}
document.getElementById("page-prev")?.addEventListener("click", () => {
  if (currentPage > 1) currentPage -= 1;
  loadScan();
});
document.getElementById("page-next")?.addEventListener("click", () => {
  if (currentPage < pageCount) currentPage += 1;
  loadScan();
});

/**
 * The original file as it arrived: the API (with the Bearer token) gives a link valid for a minute, and the
 * browser takes the file from the bucket as a download (any size; the bucket names it).
 */
async function downloadOriginal() {
  const res = await api("GET", `/api/cases/${encodeURIComponent(caseId)}/original-link`);
  if (!res.ok) return say(res.data?.message ?? `Fel (${res.status})`, true);
  const a = document.createElement("a");
  a.href = res.data.url;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
}
document.getElementById("download-original")?.addEventListener("click", downloadOriginal);

// Viewer: zoom (buttons, Ctrl+wheel), rotate by 90°, pan by dragging (or the arrow keys in the pane).
const pane = document.getElementById("scan-pane");
const wrap = document.getElementById("scan-wrap");
// An upside-down scan (the reader's registration says so) is shown upright; the box overlay turns with it.
const upright = tools?.dataset.upsideDown === "1" ? 180 : 0;
const view = { zoom: 1, rotation: upright };
function applyView() {
  if (!wrap || !img) return;
  wrap.style.width = `${view.zoom * 100}%`;
  wrap.style.transform = view.rotation ? `rotate(${view.rotation}deg)` : "";
  wrap.dataset.rotation = String(view.rotation);
  document.getElementById("zoom-level").textContent = `${Math.round(view.zoom * 100)} %`;
}
function zoomBy(f) {
  view.zoom = Math.min(4, Math.max(0.5, Math.round(view.zoom * f * 100) / 100));
  applyView();
}
document.getElementById("zoom-in")?.addEventListener("click", () => zoomBy(1.25));
document.getElementById("zoom-out")?.addEventListener("click", () => zoomBy(0.8));
document.getElementById("fit")?.addEventListener("click", () => {
  view.zoom = 1;
  view.rotation = upright;
  applyView();
});
document.getElementById("rotate")?.addEventListener("click", () => {
  view.rotation = (view.rotation + 90) % 360;
  applyView();
});
pane?.addEventListener(
  "wheel",
  (e) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    zoomBy(e.deltaY < 0 ? 1.1 : 0.9);
  },
  { passive: false },
);
let drag = null;
pane?.addEventListener("pointerdown", (e) => {
  drag = { x: e.clientX, y: e.clientY, left: pane.scrollLeft, top: pane.scrollTop };
  pane.setPointerCapture(e.pointerId);
});
pane?.addEventListener("pointermove", (e) => {
  if (!drag) return;
  pane.scrollLeft = drag.left - (e.clientX - drag.x);
  pane.scrollTop = drag.top - (e.clientY - drag.y);
});
pane?.addEventListener("pointerup", () => {
  drag = null;
});

applyView();

function showBox(input) {
  if (!img || !highlight || !img.naturalWidth || currentPage !== 1) return;
  const parts = (input.dataset.box || "").split(",").map(Number);
  if (parts.length !== 5 || parts.some(Number.isNaN)) {
    highlight.hidden = true;
    return;
  }
  const [, x, y, w, h] = parts;
  const scale = img.clientWidth / img.naturalWidth;
  Object.assign(highlight.style, {
    left: `${x * scale}px`,
    top: `${y * scale}px`,
    width: `${w * scale}px`,
    height: `${h * scale}px`,
  });
  highlight.hidden = false;
  highlight.dataset.field = input.dataset.field;
  if (view.rotation === 0) highlight.scrollIntoView({ block: "nearest" });
}

function currentValue(input) {
  return input.type === "checkbox" ? input.checked : input.value;
}

function dirtyCorrections() {
  const out = {};
  for (const input of inputs) {
    const original = input.type === "checkbox" ? input.dataset.original === "true" : input.dataset.original;
    if (currentValue(input) !== original) out[input.dataset.field] = currentValue(input);
  }
  return out;
}

function describe(res) {
  if (res.data?.error === "CaseVersionConflictError") return "Ärendet har ändrats av någon annan. Ladda om sidan.";
  // The server's own Swedish reason when it gives one (claim, four eyes, missing call).
  if ((res.status === 409 || res.status === 403) && /[åäö]/i.test(res.data?.message ?? "")) return res.data.message;
  if (res.status === 409) return "Ärendet har ändrats av någon annan eller är upptaget. Ladda om sidan.";
  if (res.status === 403) return "Du saknar behörighet.";
  return res.data?.message ?? `Fel (${res.status})`;
}

/** Every decision needs the case claimed by the deciding handler: take it first when it is not ours. */
async function ensureClaimed() {
  if (document.getElementById("claimed-by").dataset.claimedBy === me) return true;
  const res = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/claim`);
  if (!res.ok) {
    say(describe(res), true);
    return false;
  }
  setVersion(res.data.case.version);
  showClaim(res.data.case.claimedBy);
  document.getElementById("claim").hidden = true;
  document.getElementById("release").hidden = false;
  return true;
}

async function save() {
  const corrections = dirtyCorrections();
  if (Object.keys(corrections).length === 0) return true;
  if (!(await ensureClaimed())) return false;
  const res = await api("PATCH", `/api/cases/${encodeURIComponent(caseId)}/fields`, { version, corrections });
  if (!res.ok) {
    say(describe(res), true);
    return false;
  }
  setVersion(res.data.case.version);
  for (const input of inputs) input.dataset.original = String(currentValue(input));
  say("Rättelserna är sparade.");
  return true;
}

async function decide(decision) {
  if (!(await ensureClaimed())) return;
  if (!(await save())) return;
  const body = { decision, version };
  const note = document.getElementById("note").value.trim();
  if (note) body.note = note;
  if (decision === "RETURN") {
    const reasons = [...document.querySelectorAll("input[name=returnReason]:checked")].map((i) => i.value);
    if (reasons.length === 0) {
      say("Välj minst en returorsak.", true);
      document.querySelector("input[name=returnReason]")?.focus();
      return;
    }
    body.returnReasons = reasons;
    const noticeNote = document.getElementById("notice-note").value.trim();
    if (noticeNote) {
      // Ordinary e-mail: refuse a personnummer here already (the server refuses it too).
      if (/(^|\D)(\d{6}|\d{8})\s?[-+]?\s?\d{4}(\D|$)/.test(noticeNote)) {
        say("Meddelandet till avsändaren får inte innehålla personnummer.", true);
        document.getElementById("notice-note").focus();
        return;
      }
      body.noticeNote = noticeNote;
    }
  }
  const res = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/decision`, body);
  if (!res.ok) {
    say(describe(res), true);
    return;
  }
  setVersion(res.data.case.version);
  for (const el of document.querySelectorAll("#decision-bar button, #fields-form [data-field]")) el.disabled = true;
  showClaim(res.data.case.claimedBy);
  if (res.data.case.status === "AWAITING_SECOND_APPROVAL") {
    document.getElementById("status").textContent = "Väntar på andra handläggare";
    say("Förslaget är sparat. Väntar på andra handläggare: en annan handläggare måste godkänna det.");
    return;
  }
  const texts = {
    APPROVE: "Godkänt – ärendet körs vidare.",
    RETURN: "Returneras till avsändaren.",
    CLOSE: "Ärendet är avslutat.",
  };
  document.getElementById("status").textContent =
    { APPROVE: "Godkänd – körs", CLOSE: "Avslutad", RETURN: "Returneras" }[decision] ?? "";
  say(texts[decision]);
}

/** A different handler approves or rejects a four-eyes proposal (the server refuses the proposer). */
async function decideProposal(decision) {
  if (!(await ensureClaimed())) return;
  const body = { decision, version };
  const note = document.getElementById("note").value.trim();
  if (note) body.note = note;
  const res = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/decision`, body);
  if (!res.ok) {
    say(describe(res), true);
    return;
  }
  setVersion(res.data.case.version);
  for (const el of document.querySelectorAll("#four-eyes button")) el.disabled = true;
  showClaim(undefined);
  if (decision === "APPROVE") {
    document.getElementById("status").textContent = "Godkänd – körs";
    say("Godkänt av två handläggare – ärendet körs vidare.");
  } else {
    document.getElementById("status").textContent = "Väntar på handläggare";
    say("Förslaget är avslaget. Ärendet ligger kvar i kön.");
  }
}
document.getElementById("second-approve")?.addEventListener("click", () => decideProposal("APPROVE"));
document.getElementById("second-reject")?.addEventListener("click", () => decideProposal("REJECT"));

/** The proposer takes their own proposal back: the case is back in review, and the page shows it so. */
async function withdrawProposal() {
  const res = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/decision`, { decision: "WITHDRAW", version });
  if (!res.ok) {
    say(describe(res), true);
    return;
  }
  location.reload();
}
document.getElementById("withdraw-proposal")?.addEventListener("click", withdrawProposal);

async function claim(path) {
  const res = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/${path}`);
  if (!res.ok) {
    say(describe(res), true);
    return;
  }
  setVersion(res.data.case.version);
  const mine = Boolean(res.data.case.claimedBy);
  showClaim(res.data.case.claimedBy);
  document.getElementById("claim").hidden = mine;
  document.getElementById("release").hidden = !mine;
}

for (const input of inputs) input.addEventListener("focus", () => showBox(input));
img?.addEventListener("load", () => {
  const focused = document.activeElement;
  if (focused?.dataset?.field) showBox(focused);
});
document.getElementById("save").addEventListener("click", save);
document.getElementById("approve").addEventListener("click", () => decide("APPROVE"));
document.getElementById("return").addEventListener("click", () => decide("RETURN"));
document.getElementById("close").addEventListener("click", () => {
  if (!document.getElementById("note").value.trim()) {
    say("Skriv en anteckning innan du avslutar.", true);
    document.getElementById("note").focus();
    return;
  }
  decide("CLOSE");
});
// Manual mode: the handler carried out the checklist in the 1177 staff tool and confirms it here.
const confirmManual = document.getElementById("confirm-manual");
confirmManual?.addEventListener("click", async () => {
  confirmManual.disabled = true;
  const res = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/manual-execution`, { version });
  if (!res.ok) {
    confirmManual.disabled = false;
    say(describe(res), true);
    return;
  }
  setVersion(res.data.case.version);
  document.getElementById("status").textContent = "Godkänd – körs";
  for (const li of document.querySelectorAll("#manual-checklist li")) li.dataset.done = "1";
  say("Bekräftat. Bekräftelsen skickas och ärendet arkiveras.");
});
document.getElementById("claim").addEventListener("click", () => claim("claim"));
document.getElementById("release").addEventListener("click", () => claim("release"));

document.getElementById("phone-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = event.currentTarget.elements;
  if (!(await ensureClaimed())) return;
  const res = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/phone-verification`, {
    calledName: f.namedItem("calledName").value,
    phone: f.namedItem("phone").value,
    outcome: f.namedItem("outcome").value,
    version,
  });
  if (!res.ok) return say(describe(res), true);
  setVersion(res.data.case.version);
  // The list shows the saved call at once (no reload).
  const list = document.getElementById("phone-list");
  list.replaceChildren(
    ...(res.data.case.phoneVerifications ?? []).map((p) => {
      const li = document.createElement("li");
      const t = document.createElement("time");
      t.dateTime = p.at;
      t.textContent = timeFormat.format(new Date(p.at)).replace(",", "");
      const who = p.by === me ? myName : String(p.by).replace(/^user:/, "");
      li.append(t, `: ${p.calledName}, ${p.phone} – ${OUTCOME[p.outcome] ?? p.outcome} (${who})`);
      return li;
    }),
  );
  event.target.reset();
  say("Samtalet är sparat.");
});

const SHORTCUTS_KEY = "lockdesk_case_shortcuts";
const shortcutsOn = document.getElementById("shortcuts-on");
shortcutsOn.checked = localStorage.getItem(SHORTCUTS_KEY) !== "off";
shortcutsOn.addEventListener("change", () => localStorage.setItem(SHORTCUTS_KEY, shortcutsOn.checked ? "on" : "off"));

document.addEventListener("keydown", (event) => {
  const t = event.target;
  const typing =
    t instanceof HTMLTextAreaElement ||
    (t instanceof HTMLInputElement && t.type !== "checkbox") ||
    t instanceof HTMLSelectElement;
  if (event.key === "Escape" && typing) {
    t.blur();
    return;
  }
  // Alt+G / Alt+R only (never a single key), and only while the shortcuts are on.
  if (!shortcutsOn.checked || !event.altKey || event.ctrlKey || event.metaKey) return;
  const key = event.code === "KeyG" ? "g" : event.code === "KeyR" ? "r" : "";
  if (key === "g" && !document.getElementById("approve").disabled) {
    event.preventDefault();
    decide("APPROVE");
  } else if (key === "r" && !document.getElementById("return").disabled) {
    event.preventDefault();
    decide("RETURN");
  }
});

// Manual entry of an unrecognised document: choose the form, type its fields, register → validated as usual.
const entryForm = document.getElementById("entry-form");
const entrySubmit = document.getElementById("entry-submit");
entryForm?.addEventListener("change", () => {
  for (const fs of document.querySelectorAll("[data-entry-form]")) fs.hidden = fs.dataset.entryForm !== entryForm.value;
  entrySubmit.disabled = !entryForm.value;
});
entrySubmit?.addEventListener("click", async () => {
  const code = entryForm.value;
  if (!code) return say("Välj blankett först.", true);
  const fieldset = document.querySelector(`[data-entry-form="${code}"]`);
  const fields = {};
  for (const input of fieldset.querySelectorAll("[data-entry-field]")) {
    fields[input.dataset.entryField] = input.type === "checkbox" ? input.checked : input.value.trim();
  }
  if (!(await ensureClaimed())) return;
  entrySubmit.disabled = true;
  const res = await api("POST", `/api/cases/${encodeURIComponent(caseId)}/form`, { version, formCode: code, fields });
  if (!res.ok) {
    entrySubmit.disabled = false;
    return say(describe(res), true);
  }
  setVersion(res.data.case.version);
  showClaim(res.data.case.claimedBy);
  document.getElementById("status").textContent = STATUS[res.data.case.status] ?? "";
  say("Blanketten är registrerad och ärendet kontrolleras. Ladda om sidan för att se resultatet.");
});

loadScan();
