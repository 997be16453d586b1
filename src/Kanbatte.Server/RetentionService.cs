using Kanbatte.Api;
using Kanbatte.Application;

namespace Kanbatte.Server;

/// <summary>
/// Forgets what is kept for a while only, once an hour: Idempotency-Keys after their 24 hours, and changes journal
/// entries after the changes feed's retention (a day more: see <see cref="ChangesOptions.KeptFor"/>).
/// </summary>
public sealed class RetentionService(IIdempotencyStore idempotency, IChangeJournal journal, ChangesOptions changes, TimeProvider clock, ILogger<RetentionService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                await idempotency.PurgeAsync(clock.GetUtcNow() - Idempotency.Retention, stoppingToken);
                await journal.PurgeAsync(clock.GetUtcNow() - changes.KeptFor, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Purging expired idempotency keys or changes failed; trying again in an hour");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
