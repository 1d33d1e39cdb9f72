// Mail room letters: "Markera som postat" posts to the API (Bearer token) and reloads the list from the server.
import { api } from "./common.js";

const error = document.getElementById("letters-error");

for (const button of document.querySelectorAll("button.mark-posted")) {
  button.addEventListener("click", async () => {
    const row = button.closest("tr");
    const caseId = row?.dataset.case ?? "";
    const letterId = row?.dataset.letter ?? "";
    button.disabled = true;
    const res = await api("POST", `/api/letters/${encodeURIComponent(caseId)}/${encodeURIComponent(letterId)}/posted`);
    if (res.ok || res.status === 409) {
      // 409: someone else marked it posted meanwhile; either way the list is stale.
      location.reload();
      return;
    }
    button.disabled = false;
    if (error) error.textContent = `Brevet för ärende ${caseId} kunde inte markeras som postat. Försök igen.`;
  });
}
