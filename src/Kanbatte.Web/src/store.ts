import type { Api, Board, Change, Comment, Member, Project, Role, Status, Task } from "./api";
import { statuses } from "./ui";

/** What the board is filtered by (the tasks list route's own filters, so pages and live updates agree). */
export interface Filter {
  assignee: string;
  label: string;
  priority: string;
  q: string;
  archived: boolean;
}
export const noFilter: Filter = { assignee: "", label: "", priority: "", q: "", archived: false };
export const isFiltered = (f: Filter) => !!(f.assignee || f.label || f.priority || f.q || f.archived);

/** How much of a column has been fetched: every task down to `last` (in board order), or all of them when `done`. */
interface Column {
  last: Task | null;
  done: boolean;
  token: string | null;
  count: number | null;
  loading: boolean;
}

/** A column's first page: more than a screen's worth; the rest comes as the column scrolls. */
export const pageSize = 30;

/** Board order: by rank (ordinal), then by number, as the API orders a column. */
export function boardOrder(a: Task, b: Task) {
  return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.number - b.number;
}

/**
 * A project as this client knows it: the project, its members, every task and comment it has seen (from the board,
 * list pages, its own writes and the changes feed), each kept at the highest version seen. The board is drawn from
 * here, so a page, a write's answer and a live change all land in one place and the newest wins.
 */
export class ProjectStore {
  project: Project | null = null;
  readonly tasks = new Map<string, Task>();
  readonly comments = new Map<string, Comment>();
  readonly members = new Map<string, Member>();
  /** Highest version seen per entity ("comment:CM-1", "member:ann"), deletions included. */
  private readonly versions = new Map<string, number>();
  /** Set once the first changes pull has listed every task: counts are then counted here. */
  complete = false;
  filter: Filter = noFilter;
  /** The push channel: "live" once connected and caught up. */
  live: "connecting" | "live" | "reconnecting" | "offline" = "connecting";
  columns: Record<Status, Column> = fresh();
  private readonly listeners = new Set<() => void>();
  private held = false;
  private missed = false;

  constructor(private readonly api: Api, readonly key: string) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  notify() {
    if (this.held) this.missed = true;
    else this.listeners.forEach((l) => l());
  }

  /**
   * While a card is dragged nothing is redrawn: SortableJS is moving the card's element between lists, and a redraw
   * would put it back under the pointer. Whatever arrived meanwhile is drawn at the drop.
   */
  hold(on: boolean) {
    this.held = on;
    if (!on && this.missed) {
      this.missed = false;
      this.notify();
    }
  }

  // ---- Applying what the API says, newest version wins.

  putTask(task: Task, force = false) {
    const held = this.tasks.get(task.id);
    if (!force && held && held.version >= task.version) return false;
    this.tasks.set(task.id, task);
    return true;
  }

  /**
   * A comment or member from a read or a write's answer, which carry no stream version: taken as the newest (the feed
   * sends the same state again with its version soon after).
   */
  putComment(comment: Comment) {
    this.comments.set(comment.id, comment);
  }

  putMember(member: Member) {
    this.members.set(member.userId, member);
  }

  /** Changes from the feed (see README "Syncing a client"): applied only when newer than what is held. */
  apply(changes: Change[]) {
    for (const c of changes) {
      const key = `${c.entity}:${c.id}`;
      const held = c.entity === "task" ? this.tasks.get(c.id)?.version ?? 0 : this.versions.get(key) ?? 0;
      if (c.version <= held) continue;
      if (c.entity === "task" && c.op === "upsert") this.tasks.set(c.id, c.data as Task);
      else if (c.entity === "comment") {
        if (c.op === "upsert") this.comments.set(c.id, c.data as Comment);
        else this.comments.delete(c.id);
      } else if (c.entity === "member") {
        if (c.op === "upsert") this.members.set(c.id, c.data as Member);
        else this.members.delete(c.id);
      } else if (c.entity === "project" && c.op === "upsert") this.project = c.data as Project;
      else continue; // a kind this client does not know yet
      if (c.entity !== "task") this.versions.set(key, c.version);
    }
    if (changes.length) this.notify();
  }

  /** The end of a first pull (also after 410): comments and members it did not list are gone; every task is known. */
  finishFullPull(listed: Set<string>) {
    for (const id of [...this.comments.keys()]) if (!listed.has(`comment:${id}`)) this.comments.delete(id);
    for (const id of [...this.members.keys()]) if (!listed.has(`member:${id}`)) this.members.delete(id);
    this.complete = true;
    this.notify();
  }

  // ---- Who may do what.

  roleOf(userId: string): Role | null {
    return this.members.get(userId)?.role ?? null;
  }

  memberName(userId: string | null) {
    if (!userId) return null;
    return this.members.get(userId)?.name ?? userId;
  }

  // ---- The board: what each column shows, drawn from the tasks held.

  matches(task: Task, f = this.filter) {
    if (task.archived !== f.archived) return false;
    if (f.assignee && task.assignee !== f.assignee) return false;
    if (f.label && !task.labels.includes(f.label)) return false;
    if (f.priority && task.priority !== f.priority) return false;
    if (f.q && !task.title.toLowerCase().includes(f.q.toLowerCase())) return false;
    return true;
  }

  /** The column's tasks fetched so far (and those that moved in above the last fetched one), in board order. */
  visible(status: Status): Task[] {
    const column = this.columns[status];
    const shown: Task[] = [];
    for (const task of this.tasks.values())
      if (task.status === status && this.matches(task) && (column.done || (column.last && boardOrder(task, column.last) <= 0))) shown.push(task);
    return shown.sort(boardOrder);
  }

  /** How many tasks the column holds: counted here once every task is known, else as the API said. */
  count(status: Status): { n: number; exact: boolean } {
    if (this.complete) {
      let n = 0;
      for (const task of this.tasks.values()) if (task.status === status && this.matches(task)) n++;
      return { n, exact: true };
    }
    const column = this.columns[status];
    if (column.count !== null) return { n: column.count, exact: true };
    return { n: this.visible(status).length, exact: column.done };
  }

  hasMore(status: Status, shown = this.visible(status).length) {
    const column = this.columns[status];
    if (column.done) return false;
    return !this.complete || shown < this.count(status).n;
  }

  // ---- Loading.

  /** The board's first page of every column: the board route unfiltered (with counts), else the tasks list per column. */
  async load(filter: Filter = this.filter) {
    this.filter = filter;
    const columns = fresh();
    if (!isFiltered(filter)) {
      const board: Board = await this.api.board(this.key, { limit: pageSize });
      if (this.filter !== filter) return;
      for (const column of board.columns) {
        column.tasks.forEach((t) => this.putTask(t));
        columns[column.status] = {
          ...columns[column.status],
          last: column.tasks[column.tasks.length - 1] ?? null,
          done: column.tasks.length >= column.count,
          count: column.count,
        };
      }
    } else {
      const pages = await Promise.all(statuses.map((s) => this.api.listTasks(this.key, { ...this.query(s), limit: pageSize })));
      if (this.filter !== filter) return;
      statuses.forEach((s, i) => {
        const page = pages[i]!;
        page.items.forEach((t) => this.putTask(t));
        columns[s] = { ...columns[s], last: page.items[page.items.length - 1] ?? null, done: !page.continuationToken, token: page.continuationToken };
      });
    }
    this.columns = columns;
    this.notify();
  }

  private query(status: Status) {
    const f = this.filter;
    return { status, sort: "rank", assignee: f.assignee, label: f.label, priority: f.priority, q: f.q, archived: f.archived ? "true" : undefined };
  }

  /** The column's next page, from the tasks list route (after the board's first page: from the top, 100 at once). */
  async loadMore(status: Status) {
    const column = this.columns[status];
    if (column.done || column.loading) return;
    column.loading = true;
    const filter = this.filter;
    try {
      const page = column.token
        ? await this.api.listTasks(this.key, { ...this.query(status), limit: pageSize, continuationToken: column.token })
        : await this.api.listTasks(this.key, { ...this.query(status), limit: 100 });
      if (this.filter !== filter || this.columns[status] !== column) return;
      page.items.forEach((t) => this.putTask(t));
      const last = page.items[page.items.length - 1];
      if (last && (!column.last || boardOrder(last, column.last) > 0)) column.last = last;
      column.token = page.continuationToken;
      column.done = !page.continuationToken;
    } finally {
      column.loading = false;
      this.notify();
    }
  }

  /** The column fetched again down to where it was (a move was refused because what the user saw was stale). */
  async refreshColumn(status: Status) {
    const shown = Math.min(100, Math.max(pageSize, this.visible(status).length));
    const page = await this.api.listTasks(this.key, { ...this.query(status), limit: shown });
    page.items.forEach((t) => this.putTask(t));
    // Tasks drawn in this part of the column that the API no longer lists there moved or left: read where they are now.
    const listed = new Set(page.items.map((t) => t.id));
    const end = page.items[page.items.length - 1];
    const gone = this.visible(status).filter((t) => !listed.has(t.id) && (!page.continuationToken || (end && boardOrder(t, end) <= 0)));
    await Promise.all(gone.map((t) => this.api.getTask(t.id).then((fresh) => this.putTask(fresh), () => this.tasks.delete(t.id))));
    const column = this.columns[status];
    const last = page.items[page.items.length - 1];
    if (last && (!column.last || boardOrder(last, column.last) > 0)) column.last = last;
    if (!page.continuationToken) column.done = true;
    this.notify();
  }

  /** A card placed just below the last one fetched stays in view (its column's fetched part grows by it). */
  extend(task: Task, after: string | undefined) {
    const column = this.columns[task.status];
    if (!column.done && after && column.last?.id === after) column.last = task;
  }

  /** A rank between two neighbours' for drawing a card where it was dropped until the API answers with the real one. */
  static rankBetween(previous: Task | undefined, next: Task | undefined) {
    if (previous) return previous.rank + "\u0001"; // above any longer rank that starts like previous's
    return next ? "" : "0";
  }
}

function fresh(): Record<Status, Column> {
  const column = (): Column => ({ last: null, done: false, token: null, count: null, loading: false });
  return { todo: column(), ready: column(), in_progress: column(), review: column(), done: column() };
}
