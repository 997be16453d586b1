namespace Kanbatte.Application;

/// <summary>One document per entity holding its current state, as JSON, and the stream version it reflects.</summary>
public sealed record ViewDocument(string Partition, string Id, string Kind, int Version, string Json);
