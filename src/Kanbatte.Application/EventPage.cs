namespace Kanbatte.Application;

/// <summary>A page of events and the store's opaque position after it (null on the last page).</summary>
public sealed record EventPage(IReadOnlyList<EventEnvelope> Events, string? Next);
