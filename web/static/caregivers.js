// Admin page: publish a new approved-caregivers CSV (PUT /api/admin/caregivers), then reload to show it.
import { api } from "./common.js";

const form = document.getElementById("caregivers-form");
const file = document.getElementById("caregivers-file");
const message = document.getElementById("message");

if (form && file && message) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) {
      message.textContent = "Välj en CSV-fil.";
      return;
    }
    message.textContent = "Publicerar …";
    const res = await api("PUT", "/api/admin/caregivers", { csv: await chosen.text() });
    if (res.ok) {
      message.textContent = res.data.changed
        ? `Version ${res.data.version} publicerad (${res.data.count} vårdgivare).`
        : "Listan är oförändrad (samma innehåll som den gällande).";
      if (res.data.changed) setTimeout(() => location.reload(), 800);
    } else if (res.status === 409) {
      message.textContent = "Någon annan ändrade listan samtidigt. Ladda om sidan och försök igen.";
    } else {
      // The server's message names line and column; textContent keeps it inert.
      message.textContent = `Listan publicerades inte: ${res.data?.message ?? `fel ${res.status}`}`;
    }
  });
}
