namespace Kanbatte.Application;

/// <summary>Where a feed consumer durably records how far it got.</summary>
public interface ICheckpointStore
{
    Task<long> GetAsync(string consumer, CancellationToken ct = default);
    Task SaveAsync(string consumer, long position, CancellationToken ct = default);
}
