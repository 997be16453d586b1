import { useEffect, useState } from "preact/hooks";
import { ApiError, type Api, type Me, type Project } from "./api";
import type { Auth } from "./auth";

/** The shell: who is signed in, their projects, and sign-out. */
export function App({ api, auth }: { api: Api; auth: Auth }) {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [signedOut, setSignedOut] = useState(false);

  useEffect(() => {
    const lost = () => setSignedOut(true);
    window.addEventListener("kanbatte:unauthorized", lost);
    auth.token().then((token) => {
      if (!token) setSignedOut(true);
      else api.me().then(setMe, (e: unknown) => setError(messageOf(e)));
    });
    return () => window.removeEventListener("kanbatte:unauthorized", lost);
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
  if (!me) return <p class="loading">Loading…</p>;
  return (
    <div class="shell">
      <header class="top">
        <span class="brand">Kanbatte</span>
        <span class="who" title={me.id}>{me.name}</span>
        <button class="sign-out" onClick={async () => { await auth.signOut(); setSignedOut(true); }}>Sign out</button>
      </header>
      <Projects api={api} />
    </div>
  );
}

function Projects({ api }: { api: Api }) {
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { api.listProjects().then((p) => setProjects(p.items), (e: unknown) => setError(messageOf(e))); }, []);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!projects) return <p class="loading">Loading projects…</p>;
  return (
    <main>
      <h1>Projects</h1>
      <ul class="projects">{projects.map((p) => <li key={p.key}><strong>{p.key}</strong> {p.name}</li>)}</ul>
    </main>
  );
}

export function messageOf(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : String(e);
}
