import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type Priority, type Role, type Status } from "./api";

export const statuses: Status[] = ["todo", "ready", "in_progress", "review", "done"];
export const statusNames: Record<Status, string> = { todo: "To do", ready: "Ready", in_progress: "In progress", review: "Review", done: "Done" };
export const priorities: Priority[] = ["none", "low", "medium", "high", "urgent"];
export const priorityNames: Record<Priority, string> = { none: "None", low: "Low", medium: "Medium", high: "High", urgent: "Urgent" };
export const roles: Role[] = ["viewer", "member", "owner"];
export const roleNames: Record<Role, string> = { viewer: "Viewer", member: "Member", owner: "Owner" };

export function messageOf(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : String(e);
}

// ---- The page's alert region: errors that belong to no form (loads, moves, live updates), in the API's words.

type Alert = { id: number; text: string };
let alerts: Alert[] = [];
let nextAlert = 1;
const alertListeners = new Set<() => void>();

export function report(e: unknown, context?: string) {
  const text = context ? `${context}: ${messageOf(e)}` : messageOf(e);
  if (alerts.some((a) => a.text === text)) return;
  alerts = [...alerts, { id: nextAlert++, text }].slice(-4);
  alertListeners.forEach((l) => l());
}

function dismiss(id: number) {
  alerts = alerts.filter((a) => a.id !== id);
  alertListeners.forEach((l) => l());
}

/** Always in the page (empty when all is well) so screen readers announce what is added to it. */
export function Alerts() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((t) => t + 1);
    alertListeners.add(listener);
    return () => void alertListeners.delete(listener);
  }, []);
  return (
    <div class="alerts" role="alert">
      {alerts.map((a) => (
        <p key={a.id} class="error">
          <span>{a.text}</span>
          <button type="button" class="link" onClick={() => dismiss(a.id)}>Dismiss</button>
        </p>
      ))}
    </div>
  );
}

/** A form's own error line (inside a modal dialog the page's alert region is out of reach). */
export function ErrorLine({ error }: { error: string | null }) {
  return <p class={error ? "error" : "error empty"} role="alert">{error}</p>;
}

/** Runs an action, keeping its error for an ErrorLine; busy while it runs (buttons are disabled meanwhile). */
export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(messageOf(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}

/**
 * A modal dialog (the native element: focus stays inside, Escape closes, the page behind is inert). Focus goes to the
 * first field, or the dialog itself, and back to what had it when the dialog closes.
 */
export function Dialog(props: { title: ComponentChildren; onClose: () => void; class?: string; children: ComponentChildren; labelId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const labelId = props.labelId ?? "dialog-title";
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    const first = dialog.querySelector<HTMLElement>("[data-autofocus]") ?? dialog.querySelector<HTMLElement>("input, select, textarea");
    (first ?? dialog).focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog ref={ref} class={props.class ?? "modal"} aria-labelledby={labelId} tabIndex={-1}
      onCancel={(e) => { e.preventDefault(); props.onClose(); }}>
      <div class="dialog-head">
        <h2 id={labelId}>{props.title}</h2>
        <button type="button" class="icon" aria-label="Close" onClick={props.onClose}>✕</button>
      </div>
      {props.children}
    </dialog>
  );
}

/**
 * A control with its label above it, tied by id (not wrapped: a wrapped select or text box would add its value to
 * its own accessible name).
 */
export function Control({ id, label, hint, class: cls, children }: { id: string; label: string; hint?: string; class?: string; children: ComponentChildren }) {
  return (
    <div class={cls ? `control ${cls}` : "control"}>
      <label for={id}>{label}</label>
      {children}
      {hint && <span id={`${id}-hint`} class="hint">{hint}</span>}
    </div>
  );
}

/** Re-renders the component whenever the store says it changed. */
export function useSubscription(subscribe: (listener: () => void) => () => void) {
  const [, setTick] = useState(0);
  useEffect(() => subscribe(() => setTick((t) => t + 1)), [subscribe]);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const shortDate = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const longDate = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

export const formatTime = (iso: string) => dateTime.format(new Date(iso));
/** A due date (YYYY-MM-DD, no time zone): shown as that calendar day wherever the reader is. */
export const formatDue = (date: string, long = false) => (long ? longDate : shortDate).format(new Date(`${date}T00:00:00Z`));

export function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatTime(iso)}</time>;
}

export function initials(name: string) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? "?") + (words.length > 1 ? words[words.length - 1]![0] : "")).toUpperCase();
}

/** Labels as typed ("ui, bug"): a set, in the order the API keeps them (ordinal). */
export function parseLabels(text: string): string[] {
  return [...new Set(text.split(",").map((l) => l.trim()).filter(Boolean))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
