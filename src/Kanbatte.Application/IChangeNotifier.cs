namespace Kanbatte.Application;

/// <summary>
/// Tells the members of changed projects that they changed (the push channel), once the view and the changes journal
/// hold the change. Telling is best effort: a client that misses a message pulls the changes feed later, so a failure
/// here is logged and never fails or undoes a projection.
/// </summary>
public interface IChangeNotifier
{
    Task NotifyAsync(IReadOnlyList<ProjectChanged> changed, CancellationToken ct = default);
}
