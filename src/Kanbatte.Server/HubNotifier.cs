using Kanbatte.Api;
using Kanbatte.Application;
using Microsoft.AspNetCore.SignalR;

namespace Kanbatte.Server;

/// <summary>
/// Sends <c>changed</c> to every connection of every member of a changed project, from what the projections publish to
/// <see cref="ProjectNotifications"/>. Notifications waiting together are sent as one message per project (the latest
/// cursor). Members are read at each send, so a member removed a moment ago is not told. A failed send is logged and
/// dropped: a client that misses a message pulls the changes feed anyway.
/// </summary>
public sealed class HubNotifier(ProjectNotifications notifications, ChangeMessages messages, IHubContext<KanbatteHub> hub, HubConnections connections, ILogger<HubNotifier> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = notifications.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var latest = new Dictionary<string, ProjectChanged>(StringComparer.Ordinal);
                while (reader.TryRead(out var changed))
                {
                    // With no connection open there is no one to tell (a client that connects pulls the changes feed next).
                    if (!connections.Any) continue;
                    if (!latest.TryGetValue(changed.ProjectKey, out var known) || known.Seq < changed.Seq) latest[changed.ProjectKey] = changed;
                }
                foreach (var changed in latest.Values) await SendAsync(changed, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(ProjectChanged changed, CancellationToken ct)
    {
        try
        {
            var (members, message) = await messages.ForAsync(changed, ct);
            if (members.Count > 0) await hub.Clients.Users(members).SendAsync(ChangedMessage.Target, message, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Telling the members of {ProjectKey} of its change failed; they will catch up by pulling", changed.ProjectKey);
        }
    }
}
