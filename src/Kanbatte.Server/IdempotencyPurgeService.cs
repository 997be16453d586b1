using Kanbatte.Api;
using Kanbatte.Application;

namespace Kanbatte.Server;

/// <summary>Forgets Idempotency-Keys once their 24 hours are over, so the table holds about a day of POSTs.</summary>
public sealed class IdempotencyPurgeService(IIdempotencyStore store, TimeProvider clock, ILogger<IdempotencyPurgeService> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await store.PurgeAsync(clock.GetUtcNow() - Idempotency.Retention, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Purging expired idempotency keys failed; trying again in an hour");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
