namespace Kanbatte.Application;

/// <summary>What a transaction left: the stream's state after it, and the events it appended (none for a no-op).</summary>
public sealed record Transacted<TState>(TState? State, IReadOnlyList<EventEnvelope> Appended) where TState : class;
