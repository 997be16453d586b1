import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type Api, type ChangeTask, type Comment, type HistoryEntry, type Me, type Member, type Priority, type Status, type Task } from "./api";
import { describeHistory } from "./describe";
import { navigate, paths } from "./router";
import type { ProjectStore } from "./store";
import {
  Dialog, ErrorLine, formatDue, messageOf, parseLabels, priorities, priorityNames, statuses, statusNames, Time, useAction, useSubscription,
} from "./ui";

/** A task's fields as the form holds them (text, as typed). */
interface Draft {
  title: string;
  description: string;
  status: Status;
  priority: Priority;
  assignee: string;
  labels: string;
  dueDate: string;
}

const fieldNames: Record<keyof Draft, string> = {
  title: "Title", description: "Description", status: "Status", priority: "Priority", assignee: "Assignee", labels: "Labels", dueDate: "Due date",
};

const emptyDraft: Draft = { title: "", description: "", status: "todo", priority: "none", assignee: "", labels: "", dueDate: "" };

function draftOf(t: Task): Draft {
  return { title: t.title, description: t.description, status: t.status, priority: t.priority, assignee: t.assignee ?? "", labels: t.labels.join(", "), dueDate: t.dueDate ?? "" };
}

/** The fields that differ, labels compared as sets. */
function differing(a: Draft, b: Draft): (keyof Draft)[] {
  return (Object.keys(fieldNames) as (keyof Draft)[]).filter((f) =>
    f === "labels" ? parseLabels(a.labels).join("\n") !== parseLabels(b.labels).join("\n") : f === "title" ? a.title.trim() !== b.title.trim() : a[f] !== b[f]);
}

/** The PATCH body for what changed from `base` to `draft` (only those fields). */
function patchOf(base: Draft, draft: Draft): ChangeTask {
  const body: ChangeTask = {};
  for (const f of differing(base, draft)) {
    if (f === "title") body.title = draft.title.trim();
    else if (f === "description") body.description = draft.description;
    else if (f === "status") body.status = draft.status;
    else if (f === "priority") body.priority = draft.priority;
    else if (f === "assignee") body.assignee = draft.assignee || null;
    else if (f === "labels") body.labels = parseLabels(draft.labels);
    else body.dueDate = draft.dueDate || null;
  }
  return body;
}

function shown(d: Draft, f: keyof Draft, name: (id: string | null) => string | null): string {
  const v = d[f];
  if (f === "status") return statusNames[v as Status];
  if (f === "priority") return priorityNames[v as Priority];
  if (f === "assignee") return v ? name(v) ?? v : "nobody";
  if (f === "dueDate") return v ? formatDue(v, true) : "none";
  if (f === "labels") return parseLabels(v).join(", ") || "none";
  return v ? `“${v.length > 120 ? `${v.slice(0, 119)}…` : v}”` : "empty";
}

/** Every field of a task, labelled; the assignee is chosen from the project's members. */
function TaskFields({ draft, set, members, id }: { draft: Draft; set: (d: Draft) => void; members: Member[]; id: string }) {
  const field = <K extends keyof Draft>(f: K) => ({
    id: `${id}-${f}`,
    value: draft[f],
    onInput: (e: Event) => set({ ...draft, [f]: (e.currentTarget as HTMLInputElement).value }),
  });
  const assignees = members.some((m) => m.userId === draft.assignee) || !draft.assignee ? members : [...members, { userId: draft.assignee, name: draft.assignee } as Member];
  return (
    <div class="fields">
      <label class="wide" for={`${id}-title`}>Title</label>
      <input class="wide" type="text" required maxLength={200} {...field("title")} data-autofocus="" />
      <label class="wide" for={`${id}-description`}>Description</label>
      <textarea class="wide" rows={5} maxLength={20000} {...field("description")} />
      <div class="field">
        <label for={`${id}-status`}>Status</label>
        <select {...field("status")}>{statuses.map((s) => <option key={s} value={s}>{statusNames[s]}</option>)}</select>
      </div>
      <div class="field">
        <label for={`${id}-priority`}>Priority</label>
        <select {...field("priority")}>{priorities.map((p) => <option key={p} value={p}>{priorityNames[p]}</option>)}</select>
      </div>
      <div class="field">
        <label for={`${id}-assignee`}>Assignee</label>
        <select {...field("assignee")}>
          <option value="">Nobody</option>
          {assignees.map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-dueDate`}>Due date</label>
        <input type="date" {...field("dueDate")} />
      </div>
      <div class="field wide">
        <label for={`${id}-labels`}>Labels <span class="muted">(comma separated)</span></label>
        <input type="text" {...field("labels")} />
      </div>
    </div>
  );
}

export function NewTaskDialog({ api, store, members, onClose }: { api: Api; store: ProjectStore; members: Member[]; onClose: () => void }) {
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const { error, busy, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const labels = parseLabels(draft.labels);
    const task = await run(() =>
      api.createTask(store.key, {
        title: draft.title.trim(), description: draft.description || null, status: draft.status, priority: draft.priority,
        assignee: draft.assignee || null, labels: labels.length ? labels : null, dueDate: draft.dueDate || null,
      }));
    if (!task) return;
    store.putTask(task);
    store.notify();
    onClose();
  };
  return (
    <Dialog title="New task" onClose={onClose} labelId="new-task-title">
      <form class="stack" onSubmit={submit}>
        <TaskFields draft={draft} set={setDraft} members={members} id="new" />
        <ErrorLine error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>Create task</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}

interface PanelProps {
  api: Api;
  store: ProjectStore;
  me: Me;
  taskId: string;
  /** Time travel: the task as it was then, read-only. */
  asOf?: string;
  editable: boolean;
  members: Member[];
}

/**
 * A task in a side panel: its fields (a form for members), comments, and history as a timeline. Edits are sent with
 * If-Match; a 412 shows what changed meanwhile and keeps what the user typed, to apply on top or discard. Live
 * changes show at once, unless the user is editing (then their base stays, and saving runs into that conflict view).
 */
export function TaskPanel({ api, store, me, taskId, asOf, editable, members }: PanelProps) {
  useSubscription(store.subscribe);
  const [task, setTask] = useState<Task | null>(asOf ? null : store.tasks.get(taskId) ?? null);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const close = () => navigate(asOf ? paths.timeTravel(store.key, asOf) : paths.board(store.key));
  const live = asOf ? null : store.tasks.get(taskId) ?? null;

  useEffect(() => {
    let gone = false;
    setLoadError(null);
    api.getTask(taskId, asOf ? { asOf } : {}).then((t) => {
      if (gone) return;
      if (!asOf && store.putTask(t)) store.notify();
      setTask(asOf ? t : store.tasks.get(taskId) ?? t);
    }, (e: unknown) => !gone && setLoadError(messageOf(e)));
    if (!asOf)
      void allPages((token) => api.listComments(taskId, token)).then((items) => {
        items.forEach((c) => store.putComment(c));
        store.notify();
      }, (e: unknown) => !gone && setLoadError(messageOf(e)));
    return () => { gone = true; };
  }, [taskId, asOf]);

  // The history again whenever the task's version moves on (a live change, or our own write).
  const version = asOf ? task?.version : live?.version;
  useEffect(() => {
    if (version === undefined) return;
    let gone = false;
    allPages((token) => api.history(taskId, token)).then((items) => {
      if (!gone) setHistory(asOf ? items.filter((h) => h.occurredAt <= asOf) : items);
    }, (e: unknown) => !gone && setLoadError(messageOf(e)));
    return () => { gone = true; };
  }, [taskId, version]);

  const current = asOf ? task : live ?? task;
  const name = (id: string | null) => store.memberName(id);
  const titleId = "task-panel-title";
  return (
    <Dialog class="panel" labelId={titleId} onClose={close}
      title={current ? <><span class="card-id">{current.id}</span> {current.title}</> : taskId}>
      <div class="panel-body">
        <div class="panel-main">
          {loadError && <p class="error" role="alert">{loadError}</p>}
          {asOf && <p class="banner-inline">As it was on <Time iso={asOf} /> (read-only)</p>}
          {current?.archived && <p class="badge-archived">Archived</p>}
          {current && (editable && !asOf
            ? <TaskEditor key={current.id} api={api} store={store} task={current} members={members} />
            : <TaskDetails task={current} name={name} />)}
          {!asOf && <Comments api={api} store={store} me={me} taskId={taskId} editable={editable} />}
        </div>
        <section class="history" aria-labelledby="history-title">
          <h3 id="history-title">History</h3>
          {history === null ? <p class="muted">Loading…</p> : <Timeline entries={history} name={(id) => name(id) ?? id} />}
        </section>
      </div>
    </Dialog>
  );
}

async function allPages<T>(page: (token?: string) => Promise<{ items: T[]; continuationToken: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    items.push(...p.items);
    token = p.continuationToken ?? undefined;
  } while (token);
  return items;
}

function TaskDetails({ task, name }: { task: Task; name: (id: string | null) => string | null }) {
  return (
    <div class="details">
      <dl>
        <dt>Status</dt><dd>{statusNames[task.status]}</dd>
        <dt>Priority</dt><dd>{priorityNames[task.priority]}</dd>
        <dt>Assignee</dt><dd>{name(task.assignee) ?? "Nobody"}</dd>
        <dt>Due date</dt><dd>{task.dueDate ? formatDue(task.dueDate, true) : "None"}</dd>
        <dt>Labels</dt><dd>{task.labels.join(", ") || "None"}</dd>
      </dl>
      <h3>Description</h3>
      <p class="description">{task.description || <span class="muted">No description.</span>}</p>
    </div>
  );
}

function TaskEditor({ api, store, task, members }: { api: Api; store: ProjectStore; task: Task; members: Member[] }) {
  // `base` is the task the user started editing from: the If-Match version, and what "changed meanwhile" is against.
  const [base, setBase] = useState<Task>(task);
  const [draft, setDraft] = useState<Draft>(draftOf(task));
  const [conflict, setConflict] = useState<Task | null>(null);
  const [saved, setSaved] = useState(false);
  const { error, busy, run } = useAction();
  const dirty = differing(draftOf(base), draft).length > 0;
  const name = (id: string | null) => store.memberName(id);

  // A newer version arrived (live, or an answer): taken over unless the user has typed something (then once they undo).
  useEffect(() => {
    if (task.version <= base.version || dirty || conflict) return;
    setBase(task);
    setDraft(draftOf(task));
  }, [task.version, dirty]);

  /** Sends what changed from `from` to `to`, if the task is still at `onto`'s version; a 412 opens the conflict view. */
  const send = async (onto: Task, from: Draft, to: Draft) => {
    setSaved(false);
    const answer = await run(async () => {
      try {
        return await api.changeTask(task.id, patchOf(from, to), onto.version);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 412)) throw err;
        setConflict(await api.getTask(task.id));
        return undefined;
      }
    });
    if (!answer) return;
    store.putTask(answer);
    store.notify();
    setBase(answer);
    setDraft(draftOf(answer));
    setConflict(null);
    setSaved(true);
  };

  const archive = async () => {
    const answer = await run(() => (task.archived ? api.restoreTask(task.id, task.version) : api.archiveTask(task.id, task.version)));
    if (!answer) return;
    store.putTask(answer);
    store.notify();
    setBase(answer);
    if (!dirty) setDraft(draftOf(answer));
  };

  const theirs = conflict ? differing(draftOf(base), draftOf(conflict)) : [];
  const mine = differing(draftOf(base), draft);
  return (
    <form class="stack editor" onSubmit={(e) => { e.preventDefault(); void send(base, draftOf(base), draft); }}>
      {conflict && (
        <section class="conflict" role="alert" aria-labelledby="conflict-title">
          <h3 id="conflict-title">Someone else changed this task while you were editing</h3>
          {theirs.length === 0 ? <p>Nothing you can see changed (version {conflict.version}).</p> : (
            <ul>
              {theirs.map((f) => (
                <li key={f}>
                  <strong>{fieldNames[f]}</strong>: {shown(draftOf(base), f, name)} → {shown(draftOf(conflict), f, name)}
                  {mine.includes(f) && <em> (you changed it too: yours is {shown(draft, f, name)})</em>}
                </li>
              ))}
            </ul>
          )}
          <p>Your edits are kept below. Apply them on top of the current version, or discard them.</p>
          <div class="actions">
            <button type="button" class="primary" disabled={busy}
              onClick={() => {
                const onto = conflict;
                // Re-apply only what the user changed; fields they left alone keep the other editor's values.
                const merged = { ...draftOf(onto) };
                for (const f of mine) (merged as Record<string, string>)[f] = draft[f];
                setBase(onto);
                setDraft(merged);
                setConflict(null);
                void send(onto, draftOf(onto), merged);
              }}>Apply my changes</button>
            <button type="button" onClick={() => { setBase(conflict); setDraft(draftOf(conflict)); setConflict(null); }}>Discard my changes</button>
          </div>
        </section>
      )}
      {!conflict && dirty && task.version > base.version && (
        <p class="notice" role="status">This task was changed by someone else since you started editing. Saving will show you what changed.</p>
      )}
      <TaskFields draft={draft} set={(d) => { setDraft(d); setSaved(false); }} members={members} id="task" />
      <ErrorLine error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !dirty || !!conflict}>Save changes</button>
        {dirty && !conflict && <button type="button" onClick={() => setDraft(draftOf(base))}>Undo my edits</button>}
        <span class="muted" role="status">{saved ? "Saved." : ""}</span>
        <button type="button" class="push-right" disabled={busy} onClick={() => void archive()}>{task.archived ? "Restore" : "Archive"}</button>
      </div>
    </form>
  );
}

function Comments({ api, store, me, taskId, editable }: { api: Api; store: ProjectStore; me: Me; taskId: string; editable: boolean }) {
  const [text, setText] = useState("");
  const { error, busy, run } = useAction();
  const comments = [...store.comments.values()].filter((c) => c.taskId === taskId).sort((a, b) => a.number - b.number);
  const owner = store.roleOf(me.id) === "owner";
  const add = async (e: Event) => {
    e.preventDefault();
    const comment = await run(() => api.addComment(taskId, text));
    if (!comment) return;
    store.putComment(comment);
    store.notify();
    setText("");
  };
  return (
    <section class="comments" aria-labelledby="comments-title">
      <h3 id="comments-title">Comments</h3>
      {comments.length === 0 && <p class="muted">No comments yet.</p>}
      <ol class="comment-list">
        {comments.map((c) => (
          <CommentItem key={c.id} api={api} store={store} comment={c} mayChange={editable && (owner || c.authorId === me.id)} />
        ))}
      </ol>
      {editable && (
        <form class="stack" onSubmit={add}>
          <label for="new-comment">Add a comment</label>
          <textarea id="new-comment" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <ErrorLine error={error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || !text.trim()}>Comment</button>
          </div>
        </form>
      )}
    </section>
  );
}

function CommentItem({ api, store, comment, mayChange }: { api: Api; store: ProjectStore; comment: Comment; mayChange: boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  const { error, busy, run } = useAction();
  const editBox = useRef<HTMLTextAreaElement>(null);
  useEffect(() => { if (editing !== null) editBox.current?.focus(); }, [editing !== null]);
  const save = async (e: Event) => {
    e.preventDefault();
    const answer = await run(() => api.editComment(comment.taskId, comment.id, editing ?? ""));
    if (!answer) return;
    store.putComment(answer);
    store.notify();
    setEditing(null);
  };
  const remove = async () => {
    const done = await run(async () => { await api.deleteComment(comment.taskId, comment.id); return true; });
    if (!done) return;
    store.comments.delete(comment.id);
    store.notify();
  };
  return (
    <li class="comment" data-comment={comment.id}>
      <div class="comment-head">
        <strong>{comment.author ?? "Someone"}</strong> <Time iso={comment.createdAt} />
        {comment.editedAt && <span class="muted"> (edited)</span>}
      </div>
      {editing === null ? <p class="comment-body">{comment.body}</p> : (
        <form class="stack" onSubmit={save}>
          <label for={`edit-${comment.id}`} class="sr-only">Edit comment</label>
          <textarea id={`edit-${comment.id}`} ref={editBox} rows={3} value={editing} onInput={(e) => setEditing(e.currentTarget.value)} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || !editing.trim()}>Save comment</button>
            <button type="button" onClick={() => setEditing(null)}>Cancel</button>
          </div>
        </form>
      )}
      <ErrorLine error={error} />
      {mayChange && editing === null && (
        <div class="comment-actions">
          <button type="button" class="link" onClick={() => setEditing(comment.body)} aria-label={`Edit comment ${comment.id}`}>Edit</button>
          <button type="button" class="link" disabled={busy} onClick={() => void remove()} aria-label={`Delete comment ${comment.id}`}>Delete</button>
        </div>
      )}
    </li>
  );
}

function Timeline({ entries, name }: { entries: HistoryEntry[]; name: (id: string) => string }) {
  const items = describeHistory(entries, name);
  return (
    <ol class="timeline">
      {items.map(({ entry, actor, text }) => (
        <li key={entry.version} class={`event event-${entry.type}`}>
          <span class="event-text"><strong>{actor}</strong> {text}</span>
          <Time iso={entry.occurredAt} />
        </li>
      ))}
    </ol>
  );
}
