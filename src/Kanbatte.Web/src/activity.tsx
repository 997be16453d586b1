import { useEffect, useState } from "preact/hooks";
import type { ActivityEntry, Api } from "./api";
import { describeActivity } from "./describe";
import { paths } from "./router";
import type { ProjectStore } from "./store";
import { ErrorLine, Time, useAction } from "./ui";

/** The project's events, newest first, a page at a time. */
export function Activity({ api, store }: { api: Api; store: ProjectStore }) {
  const [items, setItems] = useState<ActivityEntry[]>([]);
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const { error, busy, run } = useAction();
  const load = async (from?: string) => {
    const page = await run(() => api.activity(store.key, from));
    if (!page) return;
    setItems((old) => (from ? [...old, ...page.items] : page.items));
    setToken(page.continuationToken);
  };
  useEffect(() => void load(), [store.key]);
  const name = (id: string) => store.memberName(id) ?? id;
  return (
    <section class="page activity" aria-labelledby="activity-title">
      <div class="page-head">
        <h2 id="activity-title">Activity</h2>
        <button type="button" disabled={busy} onClick={() => void load()}>Refresh</button>
      </div>
      <ErrorLine error={error} />
      {token === undefined && busy ? <p class="muted">Loading…</p> : items.length === 0 && <p class="muted">Nothing happened yet.</p>}
      <ol class="timeline feed">
        {items.map((a) => (
          <li key={`${a.taskId ?? store.key}:${a.version}`} class={`event event-${a.type}`}>
            <span class="event-text">
              <strong>{a.actor?.name ?? "Someone"}</strong> {describeActivity(a.type, (a.data ?? {}) as Record<string, unknown>, a.taskId, name)}
              {a.taskId && <> · <a href={paths.task(store.key, a.taskId)}>Open {a.taskId}</a></>}
            </span>
            <Time iso={a.occurredAt} />
          </li>
        ))}
      </ol>
      {token && <button type="button" disabled={busy} onClick={() => void load(token)}>Show older activity</button>}
    </section>
  );
}
