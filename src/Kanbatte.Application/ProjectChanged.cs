namespace Kanbatte.Application;

/// <summary>A project whose view documents a projection changed, and the journal entry that tells it (for notifications).</summary>
public sealed record ProjectChanged(string ProjectKey, long Seq);
