import type { HubConnection } from "@microsoft/signalr";
import { ApiError, type Api } from "./api";
import type { ProjectStore } from "./store";
import { report } from "./ui";

/**
 * Keeps a project's store up to date: the hub says a project changed, then the changes feed is pulled from this
 * client's cursor (README "Live updates", "Syncing a client"). The hub is started before the first pull, so a change
 * made during that pull is told and pulled after it. One pull runs at a time; a message meanwhile pulls again after.
 */
export class Live {
  private hub: HubConnection | null = null;
  private cursor: string | undefined;
  private pulling = false;
  private again = false;
  private stopped = false;
  private retry: number | undefined;

  // SignalR is a third of the code: fetched while the board loads, so it is not in the way of the first drawing.
  private readonly signalr = import("@microsoft/signalr");

  constructor(private readonly api: Api, private readonly store: ProjectStore) {}

  async start() {
    const { HubConnectionBuilder, LogLevel } = await this.signalr;
    if (this.stopped) return;
    this.hub = new HubConnectionBuilder()
      .withUrl(this.api.hubUrl(), { accessTokenFactory: async () => (await this.api.bearer()) ?? "", withCredentials: false })
      .withAutomaticReconnect()
      .configureLogging(LogLevel.None)
      .build();
    this.hub.on("changed", (message: { projectKey: string; cursor: string }) => {
      if (message.projectKey === this.store.key && message.cursor !== this.cursor) void this.pull();
    });
    this.hub.onreconnecting(() => this.state("reconnecting"));
    this.hub.onreconnected(() => void this.pull().then(() => this.state("live"))); // messages sent while away are not replayed
    this.hub.onclose(() => {
      this.state("offline");
      this.connectLater(); // automatic reconnection gave up
    });
    await this.connect();
  }

  private state(state: ProjectStore["live"]) {
    if (this.stopped || this.store.live === state) return;
    this.store.live = state;
    this.store.notify();
  }

  private async connect() {
    if (this.stopped || !this.hub) return;
    let connected = true;
    try {
      await this.hub.start();
    } catch {
      connected = false;
      this.state("offline");
      this.connectLater();
    }
    await this.pull();
    if (connected) this.state("live");
  }

  private connectLater() {
    if (this.stopped) return;
    window.clearTimeout(this.retry);
    this.retry = window.setTimeout(() => void this.connect(), 5000);
  }

  stop() {
    this.stopped = true;
    window.clearTimeout(this.retry);
    void this.hub?.stop();
  }

  /** Pulls until the feed has no more; without a cursor that lists the whole project (a first pull). */
  async pull(): Promise<void> {
    if (this.pulling) {
      this.again = true;
      return;
    }
    this.pulling = true;
    try {
      do {
        this.again = false;
        const first = this.cursor === undefined;
        const listed = new Set<string>();
        for (;;) {
          if (this.stopped) return;
          let page;
          try {
            page = await this.api.changes(this.store.key, this.cursor, 1000);
          } catch (e) {
            if (e instanceof ApiError && e.status === 410 && this.cursor !== undefined) {
              // Too old, or the view was rebuilt: start again from a first pull.
              this.cursor = undefined;
              this.again = true;
              break;
            }
            throw e;
          }
          this.store.apply(page.changes);
          if (first) for (const c of page.changes) listed.add(`${c.entity}:${c.id}`);
          this.cursor = page.cursor;
          if (!page.hasMore) {
            if (first) this.store.finishFullPull(listed);
            break;
          }
        }
      } while (this.again && !this.stopped);
    } catch (e) {
      if (!this.stopped) report(e, "Live updates stopped");
    } finally {
      this.pulling = false;
    }
  }
}
