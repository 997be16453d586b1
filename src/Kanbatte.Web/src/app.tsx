import { useEffect, useMemo, useState } from "preact/hooks";
import type { Api, Me, Member, Project } from "./api";
import { Activity } from "./activity";
import type { Auth } from "./auth";
import { BoardView, loadSortable } from "./board";
import { Live } from "./live";
import { Members } from "./members";
import { followLink, navigate, paths, useRoute, type Route } from "./router";
import { ProjectStore } from "./store";
import { TaskPanel } from "./task-panel";
import { TimeTravel } from "./time-travel";
import { Alerts, Control, ErrorLine, messageOf, report, useAction, useSubscription } from "./ui";

export { messageOf };

/** The shell: who is signed in, sign-out, the page's alert region, and the page the address names. */
export function App({ api, auth }: { api: Api; auth: Auth }) {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  // Nothing is asked of the API before a token is known to be there: a signed-out visit sends no request at all.
  const [signedIn, setSignedIn] = useState(false);
  const route = useRoute();

  useEffect(() => {
    const lost = () => setSignedOut(true);
    window.addEventListener("kanbatte:unauthorized", lost);
    document.addEventListener("click", followLink);
    auth.token().then((token) => {
      if (!token) return setSignedOut(true);
      setSignedIn(true);
      api.me().then(setMe, (e: unknown) => setError(messageOf(e)));
    });
    return () => {
      window.removeEventListener("kanbatte:unauthorized", lost);
      document.removeEventListener("click", followLink);
    };
  }, []);

  if (signedOut)
    return (
      <main class="signed-out">
        <h1>Kanbatte</h1>
        <p>You are not signed in.</p>
        <p>{auth.signInHint}</p>
        {auth.signIn && <button onClick={() => auth.signIn!()}>Sign in</button>}
      </main>
    );
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!signedIn) return null;
  // The page's own data is fetched alongside /api/me, not after it: until it answers, nothing can be edited.
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="/">Kanbatte</a>
        {me && <span class="who" title={me.id}>{me.name}</span>}
        <button class="sign-out" onClick={async () => { await auth.signOut(); setSignedOut(true); }}>Sign out</button>
      </header>
      <Alerts />
      {route.page === "projects" && <Projects api={api} />}
      {route.page === "not-found" && <main><h1>Not found</h1><p>There is no such page. <a href="/">Your projects</a></p></main>}
      {"key" in route && <ProjectPage key={route.key} api={api} me={me} route={route} />}
    </div>
  );
}

function Projects({ api }: { api: Api }) {
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [key, setKey] = useState("");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const { error, busy, run } = useAction();
  useEffect(() => {
    api.listProjects().then((p) => setProjects(p.items), (e: unknown) => report(e, "Loading your projects"));
  }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    const project = await run(() => api.createProject({ key: key.trim(), name: name.trim(), description: description.trim() || null }));
    if (project) navigate(paths.board(project.key));
  };
  return (
    <main class="projects-page">
      <h1>Projects</h1>
      {!projects ? <p class="muted">Loading projects…</p> : projects.length === 0 ? <p class="muted">You are in no project yet. Create one below.</p> : (
        <ul class="project-list">
          {projects.map((p) => (
            <li key={p.key}>
              <a href={paths.board(p.key)}><span class="project-key">{p.key}</span> {p.name}</a>
              {p.description && <p class="muted">{p.description}</p>}
            </li>
          ))}
        </ul>
      )}
      <form class="create-project" onSubmit={create} aria-labelledby="create-project-title">
        <h2 id="create-project-title">New project</h2>
        <Control id="project-key" label="Key" hint="2-10 letters and digits, starting with a letter (tasks become KEY-001)">
          <input id="project-key" type="text" required value={key} maxLength={10} aria-describedby="project-key-hint" onInput={(e) => setKey(e.currentTarget.value.toUpperCase())} />
        </Control>
        <Control id="project-name" label="Name">
          <input id="project-name" type="text" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Control>
        <Control id="project-description" label="Description">
          <textarea id="project-description" rows={3} maxLength={2000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Control>
        <ErrorLine error={error} />
        <div class="actions"><button type="submit" class="primary" disabled={busy}>Create project</button></div>
      </form>
    </main>
  );
}

type ProjectRoute = Extract<Route, { key: string }>;

const liveText: Record<ProjectStore["live"], string> = {
  connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", offline: "Offline: changes by others show after a reload",
};

/** One project: loaded once, kept live while any of its pages is open. */
function ProjectPage({ api, me, route }: { api: Api; me: Me | null; route: ProjectRoute }) {
  const store = useMemo(() => new ProjectStore(api, route.key), [route.key]);
  const [failed, setFailed] = useState<string | null>(null);
  useSubscription(store.subscribe);

  useEffect(() => {
    const live = new Live(api, store);
    void loadSortable();
    let gone = false;
    Promise.all([api.getProject(store.key), allMembers(api, store.key), store.load()]).then(([project, members]) => {
      if (gone) return;
      store.project = project;
      members.forEach((m) => store.putMember(m));
      store.notify();
      void live.start();
    }, (e: unknown) => !gone && setFailed(messageOf(e)));
    return () => {
      gone = true;
      live.stop();
    };
  }, [store]);

  useEffect(() => {
    document.title = store.project ? `${store.project.name} · Kanbatte` : "Kanbatte";
  }, [store.project?.name]);

  if (failed) return <main><p class="error" role="alert">{failed}</p><p><a href="/">Back to your projects</a></p></main>;
  if (!store.project) return <main><p class="muted">Loading the project…</p></main>;
  const role = me && store.roleOf(me.id);
  const editable = role === "member" || role === "owner";
  const members = [...store.members.values()].sort((a, b) => a.name.localeCompare(b.name));
  const tab = route.page;
  const link = (page: string, href: string, label: string) => (
    <a href={href} aria-current={tab === page ? "page" : undefined}>{label}</a>
  );
  return (
    <main class="project">
      <div class="project-head">
        <h1><span class="project-key">{store.project.key}</span> {store.project.name}</h1>
        {role && <span class="role">{role === "viewer" ? "Viewer: read only" : role === "owner" ? "Owner" : "Member"}</span>}
        <span class={`live live-${store.live}`} data-state={store.live} role="status">{liveText[store.live]}</span>
        <nav aria-label="Project">
          {link("board", paths.board(store.key), "Board")}
          {link("activity", paths.activity(store.key), "Activity")}
          {link("members", paths.members(store.key), "Members")}
          {link("time-travel", paths.timeTravel(store.key), "Time travel")}
        </nav>
      </div>
      {route.page === "board" && <BoardView api={api} store={store} editable={editable} members={members} />}
      {route.page === "activity" && <Activity api={api} store={store} />}
      {route.page === "members" && me && <Members api={api} store={store} me={me} members={members} />}
      {route.page === "time-travel" && <TimeTravel api={api} store={store} at={route.at} />}
      {route.page === "board" && route.taskId && me && (
        <TaskPanel key={route.taskId} api={api} store={store} me={me} taskId={route.taskId} editable={editable} members={members} />
      )}
      {route.page === "time-travel" && route.taskId && route.at && me && (
        <TaskPanel key={`${route.taskId}@${route.at}`} api={api} store={store} me={me} taskId={route.taskId} asOf={route.at} editable={false} members={members} />
      )}
    </main>
  );
}

async function allMembers(api: Api, key: string): Promise<Member[]> {
  const members: Member[] = [];
  let token: string | undefined;
  do {
    const page = await api.listMembers(key, token);
    members.push(...page.items);
    token = page.continuationToken ?? undefined;
  } while (token);
  return members;
}
