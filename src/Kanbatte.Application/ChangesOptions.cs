namespace Kanbatte.Application;

/// <summary>The changes feed's settings (<c>Kanbatte:Changes</c>).</summary>
public sealed class ChangesOptions
{
    public const string Section = "Kanbatte:Changes";

    /// <summary>How long the journal keeps entries, deletions included; a cursor older than this answers 410.</summary>
    public int RetentionDays { get; set; } = 30;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);

    /// <summary>
    /// Entries are dropped a day after the retention: a cursor is dated to the hour it was issued (or the entry it
    /// waits for), so the one a client may still use never points past what is kept, whatever the clocks.
    /// </summary>
    public TimeSpan KeptFor => Retention + TimeSpan.FromDays(1);
}
