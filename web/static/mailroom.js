// Mail room: drop many scans, upload each straight to S3 (or s3rver) with a presigned POST policy and per-file
// progress, then follow the day's intake until each file has a case id.
import { api } from "./common.js";
import { originalFileName, statusLabel, unsupportedReason } from "./intake-view.js";

const TYPES = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  tif: "image/tiff",
  tiff: "image/tiff",
  pdf: "application/pdf",
};
const dropzone = document.getElementById("dropzone");
const picker = document.getElementById("files");
const dateInput = document.getElementById("receivedDate");
const uploadsBody = document.querySelector("#uploads tbody");
const intakeBody = document.querySelector("#intake tbody");
const rowsByKey = new Map();

function typeOf(file) {
  const ext = file.name.split(".").pop()?.toLowerCase() ?? "";
  return TYPES[ext] ?? file.type;
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

/** The policy's fields as given (they are signed), then the file last, as S3 requires. */
function post(ticket, file, progress) {
  return new Promise((resolve) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(ticket.fields)) form.append(k, v);
    form.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", ticket.url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress.value = e.loaded / e.total;
    };
    xhr.onload = () => resolve(xhr.status >= 200 && xhr.status < 300);
    xhr.onerror = () => resolve(false);
    xhr.send(form);
  });
}

/** A refused file stays visible in the uploads list with the reason (nothing is silently dropped). */
function refused(file, reason) {
  const tr = document.createElement("tr");
  tr.className = "refused";
  const why = cell(reason);
  why.className = "error";
  tr.append(cell(file.name), cell("–"), cell("–"), why);
  uploadsBody.append(tr);
}

async function upload(files) {
  const message = document.getElementById("upload-message");
  message.textContent = "";
  const list = [];
  for (const f of files) {
    const reason = unsupportedReason(f.name);
    if (reason) refused(f, `Avvisad: ${reason}`);
    else list.push(f);
  }
  if (list.length === 0) {
    message.textContent = "Inga filer laddades upp: filtypen stöds inte.";
    message.className = "error";
    return;
  }
  const res = await api("POST", "/api/uploads", {
    receivedDate: dateInput.value,
    files: list.map((f) => ({ fileName: f.name, contentType: typeOf(f), size: f.size })),
  });
  if (!res.ok) {
    // The server's own Swedish reason (a receipt date outside the window, a refused file), else a general one.
    const why = res.data?.issues?.[0]?.message ?? res.data?.message ?? "kontrollera filerna och datumet.";
    message.textContent = `Uppladdningen kunde inte starta: ${why}`;
    message.className = "error";
    return;
  }
  await Promise.all(
    res.data.uploads.map(async (ticket, i) => {
      const tr = document.createElement("tr");
      const progress = document.createElement("progress");
      progress.max = 1;
      progress.value = 0;
      const status = cell("laddar upp");
      const caseCell = cell("");
      const progressCell = document.createElement("td");
      progressCell.append(progress);
      tr.append(cell(ticket.fileName), progressCell, caseCell, status);
      tr.dataset.key = ticket.key;
      uploadsBody.append(tr);
      rowsByKey.set(ticket.key, { caseCell, status });
      const ok = await post(ticket, list[i], progress);
      status.textContent = ok ? "uppladdad – väntar på ärende" : "misslyckades";
    }),
  );
  refresh();
}

async function refresh() {
  // Today's arrivals (the server's Swedish "today"), not the receipt date chosen above.
  const res = await api("GET", "/api/intake");
  if (!res.ok) return;
  intakeBody.replaceChildren(
    ...res.data.items.map((item) => {
      const tr = document.createElement("tr");
      // An unreadable scan: the reason in Swedish and the request to scan it again.
      const problem = cell(item.problem ?? "");
      if (item.problem) problem.className = "error";
      tr.append(
        cell(originalFileName(item.fileName)),
        cell(item.receivedDate ?? ""),
        cell(item.caseId),
        cell(statusLabel(item.status)),
        problem,
      );
      tr.dataset.status = item.status;
      const row = rowsByKey.get(item.key);
      if (row) {
        row.caseCell.textContent = item.caseId;
        row.status.textContent = statusLabel(item.status);
      }
      return tr;
    }),
  );
}

dropzone.addEventListener("dragover", (e) => {
  e.preventDefault();
  dropzone.classList.add("over");
});
dropzone.addEventListener("dragleave", () => dropzone.classList.remove("over"));
dropzone.addEventListener("drop", (e) => {
  e.preventDefault();
  dropzone.classList.remove("over");
  upload(e.dataTransfer.files);
});
picker.addEventListener("change", () => upload(picker.files));
refresh();
setInterval(refresh, 5000);
