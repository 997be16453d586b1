import { useEffect, useRef, useState } from "preact/hooks";
import type Sortable from "sortablejs";
import { ApiError, type Api, type Member, type Status, type Task } from "./api";
import { paths } from "./router";
import { isFiltered, noFilter, ProjectStore, type Filter } from "./store";
import { NewTaskDialog } from "./task-panel";
import { Control, Dialog, ErrorLine, formatDue, initials, priorities, priorityNames, report, statuses, statusNames, useAction } from "./ui";

// SortableJS is only needed once the user drags: fetched alongside the board's data, not before the first drawing.
let sortableModule: Promise<typeof Sortable> | undefined;
export const loadSortable = () => (sortableModule ??= import("sortablejs").then((m) => m.default));

interface ColumnProps {
  status: Status;
  tasks: Task[];
  count: { n: number; exact: boolean };
  href: (task: Task) => string;
  name: (userId: string | null) => string | null;
  /** Set when cards may be dragged and moved (members, the live board). */
  edit?: { store: ProjectStore; onMove: (task: Task) => void; onDrop: (id: string, status: Status, after?: string, before?: string) => void };
  more?: { has: boolean; load: () => void };
}

/** One status column: its heading and count, its cards in board order, and the rest loaded as it scrolls. */
export function Column({ status, tasks, count, href, name, edit, more }: ColumnProps) {
  const list = useRef<HTMLOListElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLButtonElement>(null);
  const drop = useRef(edit?.onDrop);
  drop.current = edit?.onDrop;
  const store = edit?.store;

  useEffect(() => {
    if (!store) return;
    let sortable: Sortable | undefined;
    let gone = false;
    void loadSortable().then((Sortable) => {
      if (gone) return;
      sortable = Sortable.create(list.current!, {
        group: "cards",
        draggable: ".card",
        filter: ".card-move", // the Move… button is for clicking
        preventOnFilter: false,
        forceFallback: true, // mouse events rather than HTML5 drag and drop: the same everywhere, and the clone follows the pointer
        fallbackOnBody: true,
        fallbackTolerance: 4, // a click is a click
        animation: 120,
        ghostClass: "card-ghost",
        chosenClass: "card-chosen",
        dragClass: "card-drag",
        onStart: () => store.hold(true),
        onEnd: (e) => {
          const item = e.item;
          const to = e.to as HTMLElement;
          const after = (item.previousElementSibling as HTMLElement | null)?.dataset.id;
          const before = (item.nextElementSibling as HTMLElement | null)?.dataset.id;
          const moved = e.from !== e.to || e.oldIndex !== e.newIndex;
          // Put the element back where Preact drew it; the card's new place is drawn from the store.
          item.remove();
          e.from.insertBefore(item, e.from.children[e.oldIndex ?? 0] ?? null);
          store.hold(false);
          if (moved) drop.current?.(item.dataset.id!, to.dataset.status as Status, after, before);
        },
      });
      list.current!.dataset.drag = "ready";
    });
    return () => {
      gone = true;
      sortable?.destroy();
    };
  }, [store]);

  useEffect(() => {
    if (!more?.has || !sentinel.current) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more.load(), {
      root: body.current,
      rootMargin: "300px",
    });
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, [more?.has, tasks.length]);

  const headingId = `column-${status}`;
  return (
    <section class={`column column-${status}`} aria-labelledby={headingId} data-status={status}>
      <h2 id={headingId}>
        <span>{statusNames[status]}</span>
        <span class="count">{count.n}{count.exact ? "" : "+"}<span class="sr-only"> tasks</span></span>
      </h2>
      <div class="column-body" ref={body}>
        <ol class="cards" ref={list} data-status={status} aria-labelledby={headingId}>
          {tasks.map((t) => <Card key={t.id} task={t} href={href(t)} name={name} onMove={edit?.onMove} />)}
        </ol>
        {tasks.length === 0 && !more?.has && <p class="empty-column">No tasks</p>}
        {!more && count.n > tasks.length && <p class="empty-column">{count.n - tasks.length} more not shown</p>}
        {more?.has && (
          <button type="button" class="more" ref={sentinel} onClick={more.load}>
            Load more tasks
          </button>
        )}
      </div>
    </section>
  );
}

function Card({ task, href, name, onMove }: { task: Task; href: string; name: (id: string | null) => string | null; onMove?: ((t: Task) => void) | undefined }) {
  const assignee = name(task.assignee);
  const overdue = task.dueDate && task.status !== "done" && task.dueDate < new Date().toISOString().slice(0, 10);
  return (
    <li class="card" data-id={task.id}>
      <div class="card-top">
        <span class="card-id">{task.id}</span>
        {task.priority !== "none" && <span class={`priority priority-${task.priority}`}>{priorityNames[task.priority]}</span>}
      </div>
      <a class="card-title" href={href} draggable={false}>{task.title}</a>
      {task.labels.length > 0 && (
        <ul class="labels" aria-label="Labels">{task.labels.map((l) => <li key={l} class="label">{l}</li>)}</ul>
      )}
      <div class="card-foot">
        {assignee && (
          <span class="assignee" title={assignee}>
            <span class="avatar" aria-hidden="true">{initials(assignee)}</span>
            <span class="assignee-name">{assignee}</span>
          </span>
        )}
        {task.dueDate && (
          <span class={overdue ? "due overdue" : "due"}>
            Due <time dateTime={task.dueDate}>{formatDue(task.dueDate)}</time>
          </span>
        )}
      </div>
      {onMove && (
        <button type="button" class="card-move" aria-haspopup="dialog" aria-label={`Move ${task.id} to…`} onClick={() => onMove(task)}>
          Move…
        </button>
      )}
    </li>
  );
}

/** The live board of a project: filters, columns, drag and drop, the keyboard's Move… dialog, new tasks. */
export function BoardView({ api, store, editable, members }: { api: Api; store: ProjectStore; editable: boolean; members: Member[] }) {
  const [moving, setMoving] = useState<Task | null>(null);
  useEffect(() => {
    // The page's first drawing of the board (drawn only once loaded), for measuring: after the frame that paints it.
    if (performance.getEntriesByName("kanbatte:board-drawn").length === 0)
      requestAnimationFrame(() => setTimeout(() => performance.mark("kanbatte:board-drawn")));
  }, []);
  const [creating, setCreating] = useState(false);
  const key = store.key;
  const name = (id: string | null) => store.memberName(id);
  const canDrag = editable && !store.filter.archived;
  const edit = canDrag ? { store, onMove: setMoving, onDrop: (id: string, s: Status, a?: string, b?: string) => void moveTask(api, store, id, s, a, b) } : undefined;

  return (
    <div class="board-page">
      <div class="toolbar">
        <Filters store={store} members={members} />
        {editable && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>New task</button>
        )}
      </div>
      <div class="board" data-ready={store.project ? "true" : undefined}>
        {statuses.map((s) => {
          const tasks = store.visible(s);
          return <Column key={s} status={s} tasks={tasks} count={store.count(s)} href={(t) => paths.task(key, t.id)} name={name} edit={edit}
            more={{ has: store.hasMore(s, tasks.length), load: () => void store.loadMore(s).catch((e) => report(e, `Loading more of ${statusNames[s]}`)) }} />;
        })}
      </div>
      {moving && <MoveDialog store={store} task={moving} onClose={() => setMoving(null)} api={api} />}
      {creating && <NewTaskDialog api={api} store={store} members={members} onClose={() => setCreating(false)} />}
    </div>
  );
}

function Filters({ store, members }: { store: ProjectStore; members: Member[] }) {
  const [f, setF] = useState<Filter>(store.filter);
  const timer = useRef<number>();
  const change = (next: Filter, wait = 0) => {
    setF(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void store.load(next).catch((e) => report(e, "Filtering the board")), wait);
  };
  return (
    <form class="filters" role="search" aria-label="Filter the board" onSubmit={(e) => e.preventDefault()}>
      <Control id="filter-q" label="Search titles">
        <input id="filter-q" type="search" value={f.q} onInput={(e) => change({ ...f, q: e.currentTarget.value }, 300)} />
      </Control>
      <Control id="filter-assignee" label="Assignee">
        <select id="filter-assignee" value={f.assignee} onChange={(e) => change({ ...f, assignee: e.currentTarget.value })}>
          <option value="">Anyone</option>
          {members.map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
        </select>
      </Control>
      <Control id="filter-label" label="Label">
        <input id="filter-label" type="text" value={f.label} size={10} onInput={(e) => change({ ...f, label: e.currentTarget.value.trim() }, 300)} />
      </Control>
      <Control id="filter-priority" label="Priority">
        <select id="filter-priority" value={f.priority} onChange={(e) => change({ ...f, priority: e.currentTarget.value })}>
          <option value="">Any</option>
          {priorities.map((p) => <option key={p} value={p}>{priorityNames[p]}</option>)}
        </select>
      </Control>
      <label class="check">
        <input type="checkbox" checked={f.archived} onChange={(e) => change({ ...f, archived: e.currentTarget.checked })} />
        <span>Archived tasks</span>
      </label>
      {isFiltered(f) && <button type="button" class="link" onClick={() => change(noFilter)}>Clear filters</button>}
    </form>
  );
}

/** Moving by keyboard: a column and a place in it. */
function MoveDialog({ api, store, task, onClose }: { api: Api; store: ProjectStore; task: Task; onClose: () => void }) {
  const [status, setStatus] = useState<Status>(task.status);
  const [place, setPlace] = useState("top");
  const { error, busy, run } = useAction();
  const cards = store.visible(status).filter((t) => t.id !== task.id);
  const submit = async (e: Event) => {
    e.preventDefault();
    let after: string | undefined;
    let before: string | undefined;
    if (place === "top") before = cards[0]?.id;
    else if (place === "bottom") after = store.columns[status].done ? cards[cards.length - 1]?.id : undefined;
    else {
      after = place.slice("after:".length);
      before = cards[cards.findIndex((t) => t.id === after) + 1]?.id;
    }
    const ok = await run(() => moveTask(api, store, task.id, status, after, before, true));
    if (!ok) return;
    onClose();
    // The card may now be drawn in another column: keyboard focus follows it there.
    window.setTimeout(() => document.querySelector<HTMLElement>(`[data-id="${task.id}"] .card-move`)?.focus());
  };
  return (
    <Dialog title={`Move ${task.id}`} onClose={onClose} labelId="move-title">
      <form class="stack" onSubmit={submit}>
        <p class="muted">{task.title}</p>
        <fieldset class="radios">
          <legend>Column</legend>
          {statuses.map((s) => (
            <label key={s}>
              <input type="radio" name="move-status" value={s} checked={status === s} data-autofocus={status === s ? "" : undefined}
                onChange={() => { setStatus(s); setPlace("top"); }} />
              {statusNames[s]}
            </label>
          ))}
        </fieldset>
        <Control id="move-place" label="Position">
          <select id="move-place" value={place} onChange={(e) => setPlace(e.currentTarget.value)}>
            <option value="top">At the top</option>
            {cards.map((t) => <option key={t.id} value={`after:${t.id}`}>After {t.id}: {t.title}</option>)}
            <option value="bottom">At the bottom</option>
          </select>
        </Control>
        <ErrorLine error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>Move</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}

/** A refusal caused by a stale board: a neighbour that moved or left, or the task changed meanwhile. */
function stale(e: unknown) {
  if (!(e instanceof ApiError)) return false;
  if (e.status === 404 || e.status === 409 || e.status === 412) return true;
  const errors = (e.problem as { errors?: Record<string, unknown> } | null)?.errors;
  return e.status === 400 && !!errors && ("before" in errors || "after" in errors);
}

/**
 * Moves a card between neighbours (POST /move with If-Match), drawing it there at once. When the board the user saw
 * was stale, the column is fetched again and the card placed once more next to the same neighbours if they are still
 * there; if that fails too, the card goes back and the user is told why (thrown when `rethrow`, else the alert region).
 */
export async function moveTask(api: Api, store: ProjectStore, id: string, status: Status, after?: string, before?: string, rethrow = false) {
  const original = store.tasks.get(id);
  if (!original) return false;
  const others = () => store.visible(status).filter((t) => t.id !== id);
  const draw = (a?: string, b?: string) => {
    const list = others();
    const next = b ? list.find((t) => t.id === b) : undefined;
    const previous = a ? list.find((t) => t.id === a) : b ? list[list.findIndex((t) => t.id === b) - 1] : list[list.length - 1];
    const placed = { ...original, status, rank: ProjectStore.rankBetween(previous, next) };
    store.putTask(placed, true);
    store.extend(placed, previous?.id);
    store.notify();
  };
  const send = async (version: number, a?: string, b?: string) => {
    const moved = await api.moveTask(id, { status, after: a ?? null, before: b ?? null }, version);
    store.putTask(moved, true);
    store.extend(moved, a);
    store.notify();
  };
  draw(after, before);
  try {
    await send(original.version, after, before);
    return true;
  } catch (first) {
    try {
      if (!stale(first)) throw first;
      const [current] = await Promise.all([api.getTask(id), store.refreshColumn(status)]);
      const list = others();
      let a: string | undefined;
      let b: string | undefined;
      if (after && list.some((t) => t.id === after)) {
        a = after;
        b = list[list.findIndex((t) => t.id === after) + 1]?.id;
      } else if (before && list.some((t) => t.id === before)) {
        b = before;
        a = list[list.findIndex((t) => t.id === before) - 1]?.id;
      } else if (before) b = list[0]?.id; // its neighbours are gone: the top, if that is where it was going
      draw(a, b);
      await send(current.version, a, b);
      return true;
    } catch (e) {
      store.putTask(original, true);
      store.notify();
      void api.getTask(id).then((t) => { store.putTask(t); store.notify(); }, () => undefined);
      if (rethrow) throw e;
      report(e, `Could not move ${id}`);
      return false;
    }
  }
}
