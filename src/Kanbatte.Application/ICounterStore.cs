namespace Kanbatte.Application;

/// <summary>Per-project counters that hand out task and comment numbers: unique under concurrency, gaps allowed.</summary>
public interface ICounterStore
{
    Task<int> NextAsync(string projectKey, string counter, CancellationToken ct = default);
}
