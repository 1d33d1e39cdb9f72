// Queue page: refreshes the lists in place every 20 s (same filters; the handler keeps scroll position and
// focus), creates urgent phone cases and links a scanned form to an urgent case.
import { api, getToken } from "./common.js";

const live = document.getElementById("queue-live");
const main = document.querySelector("main.queue-page");
const seconds = Number(main?.dataset.refreshSeconds ?? "20");

async function refresh() {
  if (!live || document.hidden) return;
  // Never replace a list while the handler types in one of its forms (e.g. "Koppla blankett").
  const active = document.activeElement;
  if (active && live.contains(active) && (active.tagName === "INPUT" || active.tagName === "BUTTON")) return;
  const headers = { accept: "text/html" };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(location.href, { headers }).catch(() => null);
  if (!res?.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  const fresh = doc.getElementById("queue-live");
  if (!fresh || fresh.innerHTML === live.innerHTML) return;
  const focusedHref = active && live.contains(active) ? active.getAttribute("href") : null;
  const y = window.scrollY;
  live.innerHTML = fresh.innerHTML;
  bindLinkForms();
  window.scrollTo(0, y);
  if (focusedHref) live.querySelector(`a[href="${CSS.escape(focusedHref)}"]`)?.focus();
  const count = doc.querySelector("h1 .count");
  const h1count = document.querySelector("h1 .count");
  if (count && h1count) h1count.textContent = count.textContent;
}

function bindLinkForms() {
  for (const form of document.querySelectorAll("form.link-form")) {
    if (form.dataset.bound) continue;
    form.dataset.bound = "1";
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const msg = form.querySelector(".link-message");
      const scanCaseId = form.elements.scanCaseId.value.trim();
      const res = await api("POST", `/api/cases/${encodeURIComponent(form.dataset.case)}/link`, { scanCaseId });
      if (res.ok) {
        msg.textContent = `Kopplad till ${scanCaseId}.`;
        msg.className = "link-message ok";
      } else {
        msg.textContent =
          res.status === 404
            ? "Det finns inget ärende med det numret."
            : "Kopplingen gick inte: kontrollera ärendenumret.";
        msg.className = "link-message error";
      }
    });
  }
}

const FIELD_BY_FORM = {
  "1177-EGEN": "citizen.personnummer",
  "1177-VG": "citizen.personnummer",
  "1177-VH": "child.personnummer",
};

const urgent = document.getElementById("urgent-form");
urgent?.addEventListener("submit", async (e) => {
  e.preventDefault();
  const msg = document.getElementById("urgent-message");
  const [formCode, action] = urgent.elements.kind.value.split("|");
  const pnr = urgent.elements.personnummer.value.replace(/[\s-]/g, "");
  if (!/^\d{12}$/.test(pnr)) {
    msg.textContent = "Skriv hela personnumret med 12 siffror (ÅÅÅÅMMDD-NNNN).";
    msg.className = "error";
    urgent.elements.personnummer.focus();
    return;
  }
  const note = `Per telefon från: ${urgent.elements.caller.value.trim()}. Efterfrågat: ${urgent.elements.what.value.trim()}`;
  const res = await api("POST", "/api/cases", { formCode, action, fields: { [FIELD_BY_FORM[formCode]]: pnr }, note });
  if (!res.ok) {
    msg.textContent = "Ärendet kunde inte skapas: kontrollera uppgifterna och försök igen.";
    msg.className = "error";
    return;
  }
  const id = res.data.case.caseId;
  msg.className = "ok";
  msg.replaceChildren("Brådskande ärende skapat: ");
  const a = document.createElement("a");
  a.href = `/cases/${encodeURIComponent(id)}`;
  a.textContent = id;
  msg.append(a);
  urgent.reset();
  refresh();
});

// Search over all cases through POST /api/search: a personnummer never goes into the address bar or a log.
const searchForm = document.querySelector("form.queue-search");
searchForm?.addEventListener("submit", async (e) => {
  e.preventDefault();
  const q = document.getElementById("q").value.trim();
  let section = document.getElementById("search-results");
  if (!section) {
    section = document.createElement("section");
    section.id = "search-results";
    section.setAttribute("aria-labelledby", "search-heading");
    searchForm.after(section);
  }
  const heading = document.createElement("h2");
  heading.id = "search-heading";
  if (q.length < 2) {
    heading.textContent = "Sökresultat";
    const p = document.createElement("p");
    p.textContent = "Skriv minst två tecken.";
    section.replaceChildren(heading, p);
    return;
  }
  const res = await api("POST", "/api/search", { q });
  if (!res.ok) {
    heading.textContent = "Sökresultat";
    const p = document.createElement("p");
    p.className = "error";
    p.textContent = "Sökningen gick inte. Försök igen.";
    section.replaceChildren(heading, p);
    return;
  }
  const { items, truncated } = res.data;
  heading.textContent = `Sökresultat (${items.length}${truncated ? "+" : ""})`;
  if (items.length === 0) {
    const p = document.createElement("p");
    p.textContent = "Inga ärenden hittades.";
    section.replaceChildren(heading, p);
    return;
  }
  const table = document.createElement("table");
  table.className = "queue";
  table.id = "search-list";
  const head = table.createTHead().insertRow();
  const labels = ["Ärende", "Fil", "Inkom", "Åtgärd", "Personnummer", "Status", "Handläggare"];
  for (const label of labels) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  for (const i of items) {
    const tr = body.insertRow();
    const link = document.createElement("a");
    link.href = `/cases/${encodeURIComponent(i.caseId)}`;
    link.textContent = i.caseId;
    const values = [
      link,
      i.fileName || "–",
      i.receivedDate,
      i.actionText,
      i.maskedPersonnummer || "–",
      i.statusText,
      i.claimedByName,
    ];
    values.forEach((v, n) => {
      const td = tr.insertCell();
      td.dataset.label = labels[n];
      if (n === 4) td.className = "pnr";
      td.append(v);
    });
  }
  section.replaceChildren(heading, table);
  heading.tabIndex = -1;
  heading.focus();
});

bindLinkForms();
if (seconds > 0) setInterval(refresh, seconds * 1000);
