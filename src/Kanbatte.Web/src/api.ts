import type { components } from "./generated/api";

/** The API's shapes, generated from src/Kanbatte.Api/openapi.json: a change of the API that breaks the client breaks its build. */
export type Schemas = components["schemas"];
export type Me = Schemas["Me"];
export type Project = Schemas["Project"];
export type Task = Schemas["Task"];
export type Comment = Schemas["Comment"];
export type Member = Schemas["Member"];
export type Board = Schemas["Board"];
export type BoardColumn = Schemas["BoardColumn"];
export type HistoryEntry = Schemas["HistoryEntry"];
export type ActivityEntry = Schemas["ActivityEntry"];
export type ChangesPage = Schemas["ChangesPage"];
export type Change = Schemas["Change"];
export type Problem = Schemas["Problem"];
export type Status = Schemas["Status"];
export type Priority = Schemas["Priority"];
export type Role = Schemas["Role"];
export type CreateTask = Schemas["CreateTaskRequest"];
export type ChangeTask = Schemas["ChangeTaskRequest"];
export type MoveTask = Schemas["MoveTaskRequest"];
export interface Page<T> {
  items: T[];
  continuationToken: string | null;
}

/** A refusal from the API, in the API's own words (the problem's detail). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem | null, message: string) {
    super(message);
  }

  /** The task's version now, on a 412 (If-Match no longer matched). */
  get currentVersion(): number | undefined {
    return (this.problem as { currentVersion?: number } | null)?.currentVersion ?? undefined;
  }
}

export interface Answer<T> {
  data: T;
  etag: string | null;
}

type Query = Record<string, string | number | boolean | undefined | null>;

/** The API over fetch, with the signed-in user's token; one method per route the client uses. */
export class Api {
  constructor(
    private readonly base: string,
    private readonly token: () => Promise<string | null>,
    private readonly unauthorized: () => void,
  ) {}

  private async send<T>(method: string, path: string, options: { query?: Query; body?: unknown; ifMatch?: number } = {}): Promise<Answer<T>> {
    const url = new URL(`${this.base}/api${path}`, location.href);
    for (const [name, value] of Object.entries(options.query ?? {}))
      if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, String(value));
    const headers: Record<string, string> = {};
    const token = await this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (options.ifMatch !== undefined) headers["If-Match"] = `"${options.ifMatch}"`;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    } catch {
      throw new ApiError(0, null, "The server could not be reached. Check your connection and try again.");
    }
    if (response.status === 401) this.unauthorized();
    if (!response.ok) {
      const problem = response.headers.get("Content-Type")?.includes("json") ? ((await response.json()) as Problem) : null;
      throw new ApiError(response.status, problem, problem?.detail || problem?.title || `The server answered ${response.status}.`);
    }
    const data = response.status === 204 ? (undefined as T) : ((await response.json()) as T);
    return { data, etag: response.headers.get("ETag") };
  }

  me = () => this.send<Me>("GET", "/me").then((a) => a.data);

  listProjects = (continuationToken?: string) =>
    this.send<Schemas["ProjectPage"]>("GET", "/projects", { query: { limit: 100, continuationToken } }).then((a) => a.data);
  createProject = (body: Schemas["CreateProjectRequest"]) => this.send<Project>("POST", "/projects", { body }).then((a) => a.data);
  getProject = (key: string) => this.send<Project>("GET", `/projects/${encodeURIComponent(key)}`).then((a) => a.data);
  changeProject = (key: string, body: Schemas["ChangeProjectRequest"], ifMatch?: number) =>
    this.send<Project>("PATCH", `/projects/${encodeURIComponent(key)}`, { body, ifMatch }).then((a) => a.data);

  listMembers = (key: string, continuationToken?: string) =>
    this.send<Schemas["MemberPage"]>("GET", `/projects/${encodeURIComponent(key)}/members`, { query: { limit: 100, continuationToken } }).then((a) => a.data);
  putMember = (key: string, userId: string, body: Schemas["PutMemberRequest"]) =>
    this.send<Member>("PUT", `/projects/${encodeURIComponent(key)}/members/${encodeURIComponent(userId)}`, { body }).then((a) => a.data);
  removeMember = (key: string, userId: string) =>
    this.send<void>("DELETE", `/projects/${encodeURIComponent(key)}/members/${encodeURIComponent(userId)}`).then(() => undefined);

  board = (key: string, options: { limit?: number; asOf?: string } = {}) =>
    this.send<Board>("GET", `/projects/${encodeURIComponent(key)}/board`, { query: options }).then((a) => a.data);
  activity = (key: string, continuationToken?: string) =>
    this.send<Schemas["ActivityPage"]>("GET", `/projects/${encodeURIComponent(key)}/activity`, { query: { limit: 50, continuationToken } }).then((a) => a.data);
  changes = (key: string, since?: string, limit?: number) =>
    this.send<ChangesPage>("GET", `/projects/${encodeURIComponent(key)}/changes`, { query: { since, limit } }).then((a) => a.data);

  listTasks = (key: string, query: Query) =>
    this.send<Schemas["TaskPage"]>("GET", `/projects/${encodeURIComponent(key)}/tasks`, { query }).then((a) => a.data);
  createTask = (key: string, body: CreateTask) => this.send<Task>("POST", `/projects/${encodeURIComponent(key)}/tasks`, { body }).then((a) => a.data);
  getTask = (id: string, options: { asOf?: string; version?: number } = {}) =>
    this.send<Task>("GET", `/tasks/${encodeURIComponent(id)}`, { query: options }).then((a) => a.data);
  changeTask = (id: string, body: ChangeTask, ifMatch?: number) =>
    this.send<Task>("PATCH", `/tasks/${encodeURIComponent(id)}`, { body, ifMatch }).then((a) => a.data);
  moveTask = (id: string, body: MoveTask, ifMatch?: number) =>
    this.send<Task>("POST", `/tasks/${encodeURIComponent(id)}/move`, { body, ifMatch }).then((a) => a.data);
  archiveTask = (id: string, ifMatch?: number) => this.send<Task>("POST", `/tasks/${encodeURIComponent(id)}/archive`, { ifMatch }).then((a) => a.data);
  restoreTask = (id: string, ifMatch?: number) => this.send<Task>("POST", `/tasks/${encodeURIComponent(id)}/restore`, { ifMatch }).then((a) => a.data);
  history = (id: string, continuationToken?: string) =>
    this.send<Schemas["HistoryPage"]>("GET", `/tasks/${encodeURIComponent(id)}/history`, { query: { limit: 100, continuationToken } }).then((a) => a.data);

  listComments = (id: string, continuationToken?: string) =>
    this.send<Schemas["CommentPage"]>("GET", `/tasks/${encodeURIComponent(id)}/comments`, { query: { limit: 100, continuationToken } }).then((a) => a.data);
  addComment = (id: string, body: string) => this.send<Comment>("POST", `/tasks/${encodeURIComponent(id)}/comments`, { body: { body } }).then((a) => a.data);
  editComment = (id: string, commentId: string, body: string) =>
    this.send<Comment>("PATCH", `/tasks/${encodeURIComponent(id)}/comments/${encodeURIComponent(commentId)}`, { body: { body } }).then((a) => a.data);
  deleteComment = (id: string, commentId: string) =>
    this.send<void>("DELETE", `/tasks/${encodeURIComponent(id)}/comments/${encodeURIComponent(commentId)}`).then(() => undefined);

  /** The token the API is called with, for the push channel (SignalR sends it itself). */
  bearer = () => this.token();

  /** The push channel's URL, for SignalR (it negotiates at /api/hub/negotiate on either host). */
  hubUrl = () => new URL(`${this.base}/api/hub`, location.href).toString();
}
