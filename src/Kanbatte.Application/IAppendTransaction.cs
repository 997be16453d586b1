namespace Kanbatte.Application;

/// <summary>
/// A store's append transaction as <see cref="IInTransactionStep"/>s see it: the store's own ports bound to it, so a step
/// reads the append's uncommitted events and whatever it writes commits, or rolls back, with them.
/// </summary>
public interface IAppendTransaction
{
    IEventStore Events { get; }

    IViewStore View { get; }

    ICheckpointStore Checkpoints { get; }

    IChangeJournal Changes { get; }

    /// <summary>
    /// Runs <paramref name="work"/> so that, if it throws, only its own writes are undone and the append stands; the
    /// exception is then rethrown for the step to handle (a step that lets an exception escape fails the whole append).
    /// </summary>
    Task IsolatedAsync(Func<Task> work, CancellationToken ct);
}
