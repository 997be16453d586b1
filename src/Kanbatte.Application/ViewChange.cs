namespace Kanbatte.Application;

/// <summary>A write to the view: an upsert of <see cref="Document"/>, or a delete of (Partition, Id) when it is null.</summary>
public sealed record ViewChange(string Partition, string Id, ViewDocument? Document);
