namespace Kanbatte.ReliabilityTests;

/// <summary>One row of the view table, compared whole.</summary>
public sealed record ViewRow(string Partition, string Id, string Kind, int Version, string Json);
