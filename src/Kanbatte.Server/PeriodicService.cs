namespace Kanbatte.Server;

/// <summary>
/// Background work the server repeats at a fixed interval beside the writers (snapshots, WAL checkpoints, planner
/// statistics). A pass that fails is logged and the next one tries again: what these passes keep up is derived or
/// housekeeping, never a write a client waits for.
/// </summary>
public abstract class PeriodicService(TimeSpan interval, ILogger logger) : BackgroundService
{
    /// <summary>One pass.</summary>
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "{Service} failed; trying again in {Interval}", GetType().Name, interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
