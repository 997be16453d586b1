using System.Text.Json.Serialization;

namespace Kanbatte.Domain;

/// <summary>A task placed in a column (its status, when that changed) at a rank between its new neighbours.</summary>
public sealed record TaskMoved(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status,
    string Rank) : IDomainEvent;
