namespace Kanbatte.Application;

/// <summary>What a write does once its events are in the log, before it answers the client.</summary>
public interface IViewConsistency
{
    Task AppendedAsync(long position, CancellationToken ct);
}
