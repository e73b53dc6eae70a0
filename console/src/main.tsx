import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./i18n";
import "./styles.css";
import { App } from "./App";
import { openSession } from "./auth/session";
import { SessionProvider } from "./auth/SessionProvider";

// Ask for the session before React's first render (SessionProvider waits for this answer).
void openSession();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <SessionProvider>
        <App />
      </SessionProvider>
    </StrictMode>,
  );
}
