import { useEffect, useRef, useState } from "preact/hooks";
import type { Api, Board } from "./api";
import { Column } from "./board";
import { navigate, paths } from "./router";
import type { ProjectStore } from "./store";
import { Control, formatTime, messageOf, statuses } from "./ui";

/** A date-time field's value (local time, to the second) for a moment, and back. */
const pad = (n: number) => String(n).padStart(2, "0");
function toLocalField(ms: number) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * The board as it was at a moment of the project's life (board?asOf=), read-only: a slider from the project's creation
 * to now and a date-time field choose the moment, which is kept in the address (?at=) so it can be shared.
 */
export function TimeTravel({ api, store, at }: { api: Api; store: ProjectStore; at: string | null }) {
  const created = Date.parse(store.project!.createdAt);
  const [now] = useState(() => Date.now());
  const clamp = (ms: number) => Math.min(now, Math.max(created, ms));
  const moment = clamp(at ? Date.parse(at) : now);
  const [slider, setSlider] = useState(moment);
  const [board, setBoard] = useState<{ at: number; board: Board } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<number>();

  useEffect(() => setSlider(moment), [moment]);
  useEffect(() => {
    let gone = false;
    setError(null);
    api.board(store.key, { asOf: new Date(moment).toISOString(), limit: 100 }).then(
      (b) => !gone && setBoard({ at: moment, board: b }),
      (e: unknown) => !gone && setError(messageOf(e)));
    return () => { gone = true; };
  }, [moment]);

  const go = (ms: number) => navigate(paths.timeTravel(store.key, new Date(clamp(Math.floor(ms / 1000) * 1000)).toISOString()), true);
  const slide = (ms: number, wait: number) => {
    setSlider(ms);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => go(ms), wait);
  };
  const iso = new Date(moment).toISOString();
  const name = (id: string | null) => store.memberName(id);

  return (
    <div class="time-travel">
      <div class="banner" role="status">
        <span>Viewing the board as it was on <time dateTime={iso}>{formatTime(iso)}</time>. It cannot be changed.</span>
        <button type="button" class="primary" onClick={() => navigate(paths.board(store.key))}>Back to the live board</button>
      </div>
      <form class="time-controls" onSubmit={(e) => e.preventDefault()} aria-label="Choose a moment">
        <Control id="time-slider" label="Project lifetime" class="slider">
          <input id="time-slider" type="range" min={created} max={now} step={1000} value={slider} aria-valuetext={formatTime(new Date(slider).toISOString())}
            onInput={(e) => slide(Number(e.currentTarget.value), 250)} onChange={(e) => slide(Number(e.currentTarget.value), 0)} />
          <span class="range-ends" aria-hidden="true"><span>{formatTime(new Date(created).toISOString())}</span><span>now</span></span>
        </Control>
        <Control id="time-field" label="Date and time">
          <input id="time-field" type="datetime-local" step={1} value={toLocalField(slider)} min={toLocalField(created)} max={toLocalField(now)}
            onChange={(e) => { const ms = Date.parse(e.currentTarget.value); if (!Number.isNaN(ms)) slide(ms, 0); }} />
        </Control>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {board && (
        <div class="board past" aria-busy={board.at !== moment}>
          {statuses.map((s) => {
            const column = board.board.columns.find((c) => c.status === s)!;
            return <Column key={s} status={s} tasks={column.tasks} count={{ n: column.count, exact: true }} name={name}
              href={(t) => paths.timeTravelTask(store.key, t.id, new Date(board.at).toISOString())} />;
          })}
        </div>
      )}
    </div>
  );
}
