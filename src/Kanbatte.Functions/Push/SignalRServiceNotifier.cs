using Kanbatte.Api;
using Kanbatte.Application;
using Microsoft.Extensions.Logging;

namespace Kanbatte.Functions.Push;

/// <summary>
/// The function app's push: after the change-feed projection (or a re-drive), <c>changed</c> goes to each member of
/// each changed project through Azure SignalR Service, one REST call per member (members are read at the moment of
/// sending, so a removed member is not told). Per-user sends rather than service-side groups: nothing is kept in the
/// service that could drift from the project's members. A failure is logged and dropped, never thrown: projection is
/// done by then, and a client that misses a message pulls the changes feed.
/// </summary>
public sealed class SignalRServiceNotifier(SignalRService service, ChangeMessages messages, ILogger<SignalRServiceNotifier> logger) : IChangeNotifier
{
    private const int ParallelSends = 8;

    public async Task NotifyAsync(IReadOnlyList<ProjectChanged> changed, CancellationToken ct = default)
    {
        if (!service.IsConfigured) return;
        foreach (var project in changed)
        {
            try
            {
                var (members, message) = await messages.ForAsync(project, ct);
                await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = ct }, async (member, token) =>
                {
                    try
                    {
                        await service.SendToUserAsync(member, ChangedMessage.Target, message, token);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        logger.LogWarning(e, "Telling a member of {ProjectKey} of its change failed", project.ProjectKey);
                    }
                });
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(e, "Telling the members of {ProjectKey} of its change failed; they will catch up by pulling", project.ProjectKey);
            }
        }
    }
}
