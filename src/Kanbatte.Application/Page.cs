namespace Kanbatte.Application;

/// <summary>One page of a list; <see cref="Next"/> is the keyset position after the last item, or null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
