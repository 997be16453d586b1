namespace Kanbatte.Application;

/// <summary>A parked event's place in the list (stream, then version): where a page ended and the next begins.</summary>
public sealed record DeadLetterKey(string StreamId, int Version);
