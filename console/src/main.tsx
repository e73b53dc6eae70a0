// The entry: a few KB that ask for the session (/auth/refresh) and, once it answers, for the
// first screen's queries (`me` and, on Accueil, MY REQUESTS), while the browser fetches and
// compiles the console itself (start.tsx: React, the router, urql, i18n, the screens'
// shell). So the network and the server work while the page's JavaScript is compiled,
// instead of after it (issue 16; bench/console.py measures it). The import below makes
// Vite's preload helper add start.tsx's chunks as modulepreload at once. They are not listed
// in index.html: compiling them there delayed this entry (and the session's request) by
// ~100 ms on a loaded machine.
import "./styles.css";
import { prefetch } from "./api/prefetch";
import { MeDocument } from "./auth/me";
import { openSession } from "./auth/session";
import { MyRequestsDocument } from "./screens/myRequests";

void openSession().then((token) => {
  if (!token) return;
  prefetch(MeDocument);
  if (location.pathname === "/") prefetch(MyRequestsDocument);
});
void import("./start");
