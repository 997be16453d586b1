import type { HistoryEntry, Priority, Role, Status } from "./api";
import { formatDue, priorityNames, roleNames, statusNames } from "./ui";

/** A task's fields as its history builds them up, so each change can say what it changed from. */
interface Fields {
  title: string;
  description: string;
  status: Status;
  priority: Priority;
  assignee: string | null;
  labels: string[];
  dueDate: string | null;
}

type Data = Record<string, unknown>;
type Names = (userId: string) => string;

const quote = (text: string) => `“${text.length > 80 ? `${text.slice(0, 79)}…` : text}”`;

function list(parts: string[]) {
  return parts.length <= 1 ? parts.join("") : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** The sentence after the actor's name, e.g. "moved it to Done"; `before` is the task before the event when known. */
function change(type: HistoryEntry["type"], d: Data, before: Fields | null, it: string, names: Names): string {
  switch (type) {
    case "task_created":
      return before === null && it !== "it" ? `created ${it} ${quote(String(d.title))}` : `created the task in the ${statusNames[d.status as Status]} column`;
    case "task_moved": {
      const status = d.status as Status | undefined;
      if (status && status !== before?.status) return `moved ${it} to ${statusNames[status]}`;
      return before ? `reordered ${it} within ${statusNames[before.status]}` : `reordered ${it}`;
    }
    case "task_archived":
      return `archived ${it}`;
    case "task_restored":
      return `restored ${it}`;
    case "comment_added":
      return it === "it" ? `commented ${quote(String(d.body))}` : `commented on ${it}: ${quote(String(d.body))}`;
    case "comment_edited":
      return it === "it" ? "edited a comment" : `edited a comment on ${it}`;
    case "comment_deleted":
      return it === "it" ? "deleted a comment" : `deleted a comment on ${it}`;
    case "project_created":
      return `created the project ${quote(String(d.name))}`;
    case "project_updated": {
      const parts: string[] = [];
      if ("name" in d) parts.push(`renamed the project to ${quote(String(d.name))}`);
      if ("description" in d || (d.cleared as string[] | undefined)?.includes("description")) parts.push("changed the project's description");
      if ("repository" in d || (d.cleared as string[] | undefined)?.includes("repository")) parts.push("changed the project's repository");
      return list(parts) || "changed the project";
    }
    case "member_added":
      return `added ${d.name} as ${roleNames[d.role as Role].toLowerCase()}`;
    case "member_role_changed":
      return `made ${names(String(d.userId))} ${roleNames[d.role as Role].toLowerCase()}`;
    case "member_removed":
      return `removed ${names(String(d.userId))} from the project`;
    case "task_updated":
      return taskUpdated(d, before, it, names);
    case "followup_added":
      return it === "it" ? `added a followup ${quote(String(d.body))}` : `added a followup on ${it}: ${quote(String(d.body))}`;
    case "followup_updated": {
      const on = it === "it" ? "" : ` on ${it}`;
      if (d.status === "resolved") return `resolved followup ${d.followupId}${on}`;
      if (d.status === "open") return `reopened followup ${d.followupId}${on}`;
      return `reworded followup ${d.followupId}${on}`;
    }
  }
}

function taskUpdated(d: Data, b: Fields | null, it: string, names: Names): string {
  const parts = updates(d, b, it, names);
  // In the activity feed (no earlier state, the task named): several changes read better after the task's id.
  if (!b && parts.length > 1) return `updated ${it}: ${list(updates(d, b, "it", names))}`;
  return list(parts) || `changed ${it}`;
}

function updates(d: Data, b: Fields | null, it: string, names: Names) {
  const parts: string[] = [];
  const cleared = (d.cleared as string[] | undefined) ?? [];
  const of = b || it === "it" ? "" : ` of ${it}`;
  if (typeof d.title === "string") parts.push(b ? `changed the title from ${quote(b.title)} to ${quote(d.title)}` : `renamed ${it} to ${quote(d.title)}`);
  if (typeof d.description === "string")
    parts.push(d.description === "" ? `removed the description${of}` : b && !b.description ? `added a description${of}` : `edited the description${of}`);
  if (d.status) parts.push(`moved ${it} to ${statusNames[d.status as Status]}`);
  if (d.priority)
    parts.push(b && b.priority !== "none" ? `changed the priority from ${priorityNames[b.priority]} to ${priorityNames[d.priority as Priority]}`
      : `set the priority${of} to ${priorityNames[d.priority as Priority]}`);
  if (typeof d.assignee === "string")
    parts.push(b?.assignee ? `reassigned ${it} from ${names(b.assignee)} to ${names(d.assignee)}` : `assigned ${it} to ${names(d.assignee)}`);
  if (cleared.includes("assignee")) parts.push(b?.assignee ? `unassigned ${names(b.assignee)}` : `unassigned ${it}`);
  if (Array.isArray(d.labels)) {
    const now = d.labels as string[];
    const was = b?.labels ?? [];
    const added = now.filter((l) => !was.includes(l));
    const removed = was.filter((l) => !now.includes(l));
    if (!b) parts.push(now.length ? `labelled ${it} ${now.join(", ")}` : `removed the labels${of}`);
    else {
      if (added.length) parts.push(`added the label${added.length > 1 ? "s" : ""} ${added.join(", ")}`);
      if (removed.length) parts.push(`removed the label${removed.length > 1 ? "s" : ""} ${removed.join(", ")}`);
    }
  }
  if (typeof d.dueDate === "string")
    parts.push(b?.dueDate ? `changed the due date from ${formatDue(b.dueDate, true)} to ${formatDue(d.dueDate, true)}` : `set the due date${of} to ${formatDue(d.dueDate, true)}`);
  if (cleared.includes("dueDate")) parts.push(`removed the due date${of}`);
  return parts;
}

function fold(state: Fields | null, type: HistoryEntry["type"], d: Data): Fields | null {
  if (type === "task_created")
    return {
      title: String(d.title), description: String(d.description ?? ""), status: d.status as Status, priority: (d.priority as Priority) ?? "none",
      assignee: (d.assignee as string | null) ?? null, labels: (d.labels as string[]) ?? [], dueDate: (d.dueDate as string | null) ?? null,
    };
  if (!state) return state;
  const next = { ...state };
  if (type === "task_moved" && d.status) next.status = d.status as Status;
  if (type === "task_updated") {
    for (const field of ["title", "description", "status", "priority", "assignee", "labels", "dueDate"] as const)
      if (field in d) (next as Record<string, unknown>)[field] = d[field];
    for (const field of (d.cleared as string[] | undefined) ?? []) (next as Record<string, unknown>)[field] = null;
  }
  return next;
}

/** A task's history as sentences ("Ann moved it to Done", "Bo changed the title from “A” to “B”"), oldest first. */
export function describeHistory(entries: HistoryEntry[], names: Names): { entry: HistoryEntry; actor: string; text: string }[] {
  let state: Fields | null = null;
  return entries.map((entry) => {
    const data = (entry.data ?? {}) as Data;
    const text = change(entry.type, data, state, "it", names);
    state = fold(state, entry.type, data);
    return { entry, actor: entry.actor?.name ?? "Someone", text };
  });
}

/** One event of the project's activity, about the task it names ("Ann moved AI-003 to Done"). */
export function describeActivity(type: HistoryEntry["type"], data: Data, taskId: string | null, names: Names) {
  return change(type, data, null, taskId ?? "the project", names);
}
