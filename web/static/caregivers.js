// Admin page: preview a new approved-caregivers CSV (POST /api/admin/caregivers/preview), publish it only after an
// explicit confirmation (…/publish), and roll back to an earlier version (…/rollback, also confirmed). A file from
// Excel may be Windows-1252: it is decoded here, so the server always gets text.
import { api } from "./common.js";

const form = document.getElementById("caregivers-form");
const file = document.getElementById("caregivers-file");
const message = document.getElementById("message");
const preview = document.getElementById("preview");
const summary = document.getElementById("preview-summary");
const diffBox = document.getElementById("preview-diff");
let pending = null; // { csv, expectedCurrentVersion }

/** UTF-8 (with or without BOM) when it decodes cleanly, else Windows-1252 (Excel's "CSV (semikolonavgränsad)"). */
async function readText(f) {
  const bytes = await f.arrayBuffer();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

function say(text, kind) {
  message.textContent = text;
  message.className = kind ?? "";
}

function item(cls, text) {
  const li = document.createElement("li");
  li.className = cls;
  li.textContent = text;
  return li;
}

const org = (o) => o || "(saknas)";

function showDiff(d) {
  const ul = document.createElement("ul");
  ul.className = "diff";
  for (const r of d.added) ul.append(item("diff-added", `Tillagd: ${r.name} (${org(r.organisationNumber)})`));
  for (const r of d.removed) ul.append(item("diff-removed", `Borttagen: ${r.name} (${org(r.organisationNumber)})`));
  for (const c of d.changed) {
    const text = `Ändrad: ${c.before.name} (${org(c.before.organisationNumber)}) → ${c.after.name} (${org(c.after.organisationNumber)})`;
    ul.append(item("diff-changed", text));
  }
  diffBox.replaceChildren(ul);
}

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  preview.hidden = true;
  pending = null;
  const chosen = file.files?.[0];
  if (!chosen) return say("Välj en CSV-fil.", "error");
  const csv = await readText(chosen);
  const res = await api("POST", "/api/admin/caregivers/preview", { csv });
  if (!res.ok) return say(`Listan kan inte publiceras: ${res.data?.message ?? `fel ${res.status}`}`, "error");
  const p = res.data;
  if (p.unchanged) return say("Listan är oförändrad (samma innehåll som den gällande).", "ok");
  say("");
  const d = p.diff;
  summary.textContent = `${p.rows.length} vårdgivare i den nya listan: ${d.added.length} tillagda, ${d.removed.length} borttagna, ${d.changed.length} ändrade, ${d.unchanged} oförändrade.`;
  showDiff(d);
  pending = { csv, expectedCurrentVersion: p.currentVersion };
  preview.hidden = false;
  document.getElementById("publish-confirm").focus();
});

document.getElementById("publish-cancel")?.addEventListener("click", () => {
  preview.hidden = true;
  pending = null;
  say("Ingenting publicerades.");
});

document.getElementById("publish-confirm")?.addEventListener("click", async () => {
  if (!pending) return;
  const res = await api("POST", "/api/admin/caregivers/publish", { ...pending, confirm: true });
  if (!res.ok) return say(`Listan publicerades inte: ${res.data?.message ?? `fel ${res.status}`}`, "error");
  preview.hidden = true;
  say(`Version ${res.data.version} publicerad (${res.data.count} vårdgivare).`, "ok");
  setTimeout(() => location.reload(), 800);
});

for (const button of document.querySelectorAll("button.rollback")) {
  button.addEventListener("click", () => {
    const confirm = button.parentElement.querySelector("button.rollback-confirm");
    confirm.hidden = false;
    confirm.focus();
  });
}
for (const button of document.querySelectorAll("button.rollback-confirm")) {
  button.addEventListener("click", async () => {
    const res = await api("POST", "/api/admin/caregivers/rollback", { version: button.dataset.version, confirm: true });
    if (!res.ok) return say(`Återställningen gick inte: ${res.data?.message ?? `fel ${res.status}`}`, "error");
    say(`Version ${res.data.version} gäller nu (${res.data.count} vårdgivare).`, "ok");
    setTimeout(() => location.reload(), 800);
  });
}
