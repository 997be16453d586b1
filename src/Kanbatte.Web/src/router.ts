import { useEffect, useState } from "preact/hooks";

/** Where the user is: the client's own paths (the server answers index.html for any GET outside /api). */
export type Route =
  | { page: "projects" }
  | { page: "board"; key: string; taskId?: string }
  | { page: "activity"; key: string }
  | { page: "members"; key: string }
  | { page: "time-travel"; key: string; at: string | null; taskId?: string }
  | { page: "not-found" };

export function parseRoute(path: string, search: string): Route {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: "projects" };
  if (parts[0] !== "projects" || !parts[1]) return { page: "not-found" };
  const key = parts[1];
  const rest = parts.slice(2);
  if (rest.length === 0) return { page: "board", key };
  if (rest[0] === "tasks" && rest[1] && rest.length === 2) return { page: "board", key, taskId: rest[1] };
  if (rest[0] === "activity" && rest.length === 1) return { page: "activity", key };
  if (rest[0] === "members" && rest.length === 1) return { page: "members", key };
  if (rest[0] === "time-travel") {
    const at = new URLSearchParams(search).get("at");
    if (rest.length === 1) return { page: "time-travel", key, at };
    if (rest[1] === "tasks" && rest[2] && rest.length === 3) return { page: "time-travel", key, at, taskId: rest[2] };
  }
  return { page: "not-found" };
}

export const paths = {
  projects: () => "/",
  board: (key: string) => `/projects/${encodeURIComponent(key)}`,
  task: (key: string, id: string) => `/projects/${encodeURIComponent(key)}/tasks/${encodeURIComponent(id)}`,
  activity: (key: string) => `/projects/${encodeURIComponent(key)}/activity`,
  members: (key: string) => `/projects/${encodeURIComponent(key)}/members`,
  timeTravel: (key: string, at?: string | null) => `/projects/${encodeURIComponent(key)}/time-travel${at ? `?at=${encodeURIComponent(at)}` : ""}`,
  timeTravelTask: (key: string, id: string, at: string) =>
    `/projects/${encodeURIComponent(key)}/time-travel/tasks/${encodeURIComponent(id)}?at=${encodeURIComponent(at)}`,
};

export function navigate(to: string, replace = false) {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.dispatchEvent(new Event("kanbatte:navigate"));
}

export function useRoute(): Route {
  const read = () => parseRoute(location.pathname, location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    window.addEventListener("popstate", update);
    window.addEventListener("kanbatte:navigate", update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener("kanbatte:navigate", update);
    };
  }, []);
  return route;
}

/** A click on a link of ours that the browser would follow in this tab: handled by pushState instead of a page load. */
export function followLink(e: MouseEvent) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element).closest("a");
  if (!a || a.target || a.origin !== location.origin) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
}
