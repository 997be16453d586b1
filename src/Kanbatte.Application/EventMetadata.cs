namespace Kanbatte.Application;

/// <summary>Who asked for a change: carried with every event so a change can be traced to its request.</summary>
public sealed record EventMetadata(string CorrelationId, string? CausationId = null);
