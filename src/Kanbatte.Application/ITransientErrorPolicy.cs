namespace Kanbatte.Application;

/// <summary>
/// Store errors worth retrying rather than parking (throttling, timeouts, a busy file): they end the batch with an
/// exception so the host's retry (or the feed's checkpoint) delivers it again. Each store registration supplies one.
/// </summary>
public interface ITransientErrorPolicy
{
    bool IsTransient(Exception e);
}
