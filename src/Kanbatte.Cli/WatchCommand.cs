using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kanbatte.Cli;

public static partial class Cli
{
    private static Command WatchCommand()
    {
        var key = KeyArgument();
        var interval = new Option<int>("--poll-seconds")
        {
            Description = "When the server offers no push (a function app without SignalR Service), pull this often",
            HelpName = "seconds",
            DefaultValueFactory = _ => 5,
            Validators = { r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--poll-seconds must be 1 or more."); } },
        };
        var format = FormatOption();
        var watch = new Command("watch", "Print each change to a project as it happens, until Ctrl+C") { key, interval, format };
        Action(watch, async run =>
        {
            try
            {
                await new Watcher(run, run.Get(key)!.Trim().ToUpperInvariant(), run.Get(format), TimeSpan.FromSeconds(run.Get(interval))).RunAsync();
            }
            catch (OperationCanceledException) when (run.Ct.IsCancellationRequested)
            {
                // Ctrl+C is how watch ends: success.
            }
        });
        return watch;
    }

    /// <summary>
    /// Watches a project: the hub (<c>/api/hub</c>) says <c>changed</c> with the project's key, then the changes feed is
    /// pulled from the cursor held, and each change printed. The first pull only finds the cursor to start from (what is
    /// there already is not printed). After a reconnect, one pull catches up with what was missed; without a hub,
    /// it pulls every few seconds.
    /// </summary>
    private sealed class Watcher(Invocation run, string key, OutputFormat format, TimeSpan pollInterval)
    {
        private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        private string? _cursor;

        public async Task RunAsync()
        {
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(run.Server, "api/hub"), options => options.AccessTokenProvider = async () => await run.Client.TokenAsync(run.Ct))
                .WithAutomaticReconnect(new Forever())
                .Build();
            hub.On<JsonElement>("changed", message =>
            {
                if (message.TryGetProperty("projectKey", out var project) && project.GetString() == key
                    && !(message.TryGetProperty("cursor", out var cursor) && cursor.GetString() == _cursor))
                    _wake.Writer.TryWrite(true);
            });
            hub.Reconnected += _ =>
            {
                _wake.Writer.TryWrite(true);
                return Task.CompletedTask;
            };
            var pushed = true;
            try
            {
                await hub.StartAsync(run.Ct);
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                pushed = false;
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                throw new CliException(ExitCodes.Refused, ["The hub refused the token (401).", "Sign in again: set KANBATTE_TOKEN or run 'kanbatte login'."], 401);
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                throw new CliException(ExitCodes.Failure, $"No answer from {run.Server}: {e.Message}");
            }

            await PullAsync(print: false);
            run.Error.WriteLine(pushed
                ? $"Watching {key} on {run.Server} (Ctrl+C to stop)."
                : $"Watching {key} on {run.Server}, pulling every {pollInterval.TotalSeconds:0} s: the server offers no push (Ctrl+C to stop).");
            run.Error.Flush();

            while (true)
            {
                if (pushed && hub.State != HubConnectionState.Disconnected) await _wake.Reader.ReadAsync(run.Ct);
                else
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(run.Ct);
                    timeout.CancelAfter(pollInterval);
                    try
                    {
                        await _wake.Reader.ReadAsync(timeout.Token);
                    }
                    catch (OperationCanceledException) when (!run.Ct.IsCancellationRequested) { }
                }
                await PullAsync(print: true);
            }
        }

        /// <summary>Pulls until the feed has no more; 410 (the cursor is too old, or the view was rebuilt) starts again.</summary>
        private async Task PullAsync(bool print)
        {
            while (true)
            {
                JsonNode page;
                try
                {
                    page = await run.Client.GetAsync(KanbatteClient.WithQuery(ProjectPath(key, "/changes"), ("since", _cursor)), run.Ct);
                }
                catch (CliException e) when (e.HttpStatus == 410 && _cursor is not null)
                {
                    run.Error.WriteLine("The changes feed no longer has this cursor (410): starting again from now; changes meanwhile are not printed.");
                    _cursor = null;
                    print = false;
                    continue;
                }
                if (print)
                    foreach (var change in page["changes"]?.AsArray() ?? []) Print(change!);
                _cursor = Views.S(page, "cursor");
                if (page["hasMore"]?.GetValue<bool>() != true) return;
            }
        }

        private void Print(JsonNode change)
        {
            var line = format switch
            {
                OutputFormat.Json => Output.JsonLine(change),
                OutputFormat.Markdown => $"- {Views.S(change, "entity")} {Views.S(change, "op")} {Output.Code(Views.S(change, "id"))} (v{Views.S(change, "version")}){(Summary(change) is { Length: > 0 } s ? ": " + Output.MarkdownCell(s) : "")}",
                _ => $"{Views.S(change, "entity"),-9} {Views.S(change, "op"),-6}  {Views.S(change, "id"),-12}  v{Views.S(change, "version"),-4} {Summary(change)}".TrimEnd(),
            };
            run.Out.WriteLine(line);
            run.Out.Flush();
        }

        private static string Summary(JsonNode change)
        {
            var data = change["data"];
            if (data is null) return "";
            return Views.S(change, "entity") switch
            {
                "task" => $"[{Views.TaskStatus(data)}] {Views.S(data, "title")}",
                "comment" => $"{Views.S(data, "taskId")}: {Output.Shorten(Views.S(data, "body"), 60)}",
                "followup" => $"{Views.S(data, "taskId")} [{Views.S(data, "status")}]: {Output.Shorten(Views.S(data, "body"), 60)}",
                "member" => $"{Views.S(data, "name")} ({Views.S(data, "role")})",
                "project" => Views.S(data, "name"),
                _ => "",
            };
        }

        /// <summary>Reconnects for as long as the watch runs, waiting up to 30 s between attempts.</summary>
        private sealed class Forever : IRetryPolicy
        {
            public TimeSpan? NextRetryDelay(RetryContext context) =>
                TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(context.PreviousRetryCount, 5))));
        }
    }
}
