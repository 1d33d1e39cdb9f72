import { setToken } from "./common.js";

const form = document.getElementById("login-form");
const error = document.getElementById("login-error");

if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const userId = form.elements.namedItem("userId").value.trim();
    const password = form.elements.namedItem("password").value;
    const res = await fetch("/api/dev-login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId, password }),
    });
    if (!res.ok) {
      error.textContent = "Fel användar-id eller lösenord.";
      return;
    }
    const { token, user } = await res.json();
    setToken(token);
    const handler = user.groups.includes("handler") || user.groups.includes("admin");
    location.assign(handler ? "/queue" : "/mailroom");
  });
}
