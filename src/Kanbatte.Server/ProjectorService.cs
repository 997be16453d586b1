using Kanbatte.Application;

namespace Kanbatte.Server;

/// <summary>Runs the projector beside the API: woken by each write, and at least once a second for writers in other processes.</summary>
public sealed class ProjectorService(FeedProjection projection, ProjectionProgress progress, ILogger<ProjectorService> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await projection.CatchUpAsync(stoppingToken);
                await progress.WaitForAppendAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Projection failed; retrying from the last checkpoint");
                await Task.Delay(Poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
