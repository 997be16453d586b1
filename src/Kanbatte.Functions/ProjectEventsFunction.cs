using Kanbatte.Application;
using Kanbatte.Storage.Cosmos;
using Microsoft.Azure.Functions.Worker;

namespace Kanbatte.Functions;

/// <summary>
/// The projection on the event log's change feed: the projector (the view and the changes journal), each project's copy
/// of its events (the project log, which activity and board asOf read), board snapshots when due, then the push to the
/// changed projects' members. Per-event failures are parked as dead letters by the resilient projector, so the lease
/// moves on without losing anything; a transient store error throws, and the function-level retry delivers the same
/// batch again (the projector applies each event once, however often it comes; the copy writes each event once; the
/// snapshot step never throws). Telling clients never throws: it comes after everything else is written.
/// <para>
/// The retry never gives up (-1), backing off to a minute between attempts: once a retry policy's attempts are spent,
/// the trigger checkpoints past the batch, and what it had not written yet (the project log's copies, the view of a
/// stream with no later event, the changes journal) would be lost for good. A lease stuck on an error that does not
/// pass shows as a growing projection lag and a failing function in the logs, which an operator can act on.
/// </para>
/// <para>
/// The feed is polled every second (<see cref="FeedPollDelayMs"/>), so a change reaches clients within about two
/// seconds; the default, five seconds, would be too slow for a live board. See the README for what polling costs.
/// </para>
/// </summary>
public sealed class ProjectEventsFunction(ResilientProjector projector, CosmosProjectLog projectLog, CosmosSnapshotStore snapshots, IChangeNotifier notifier)
{
    public const int FeedPollDelayMs = 1000;

    public const string Name = "ProjectEvents";
    public const string LeasePrefix = "functions-view-";

    [Function(Name)]
    [ExponentialBackoffRetry(-1, "00:00:01", "00:01:00")]
    public async Task Run(
        [CosmosDBTrigger(CosmosOptions.Names.Database, CosmosOptions.Names.EventLog,
            Connection = CosmosOptions.ConnectionSetting,
            LeaseContainerName = CosmosOptions.Names.Leases,
            LeaseContainerPrefix = LeasePrefix,
            FeedPollDelay = FeedPollDelayMs)] IReadOnlyList<CosmosEventDocument> events,
        CancellationToken cancellationToken)
    {
        var batch = events.Select(e => e.ToEnvelope()).ToList();
        var changed = await projector.ProjectAsync(batch, cancellationToken);
        await projectLog.CopyAsync(batch, cancellationToken);
        await snapshots.CaptureAsync(batch, cancellationToken);
        await notifier.NotifyAsync(changed, cancellationToken);
    }
}
