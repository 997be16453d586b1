namespace Kanbatte.Application;

/// <summary>
/// Work after an append has committed, before the command answers (metrics, read-your-writes). Runs in the order the host
/// registered it with its <see cref="WritePipeline"/>. The events are durable by then: a step must not turn the write into an error.
/// </summary>
public interface IAfterCommitStep
{
    /// <param name="appended">The events as appended.</param>
    /// <param name="position">The store's position of the last of them (0 where the store has none).</param>
    Task AfterCommitAsync(IReadOnlyList<EventEnvelope> appended, long position, CancellationToken ct);
}
