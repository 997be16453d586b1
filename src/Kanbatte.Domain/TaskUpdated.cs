using System.Text.Json.Serialization;

namespace Kanbatte.Domain;

/// <summary>Carries only the fields that changed (a null field did not change); <see cref="Cleared"/> names optional fields set to nothing.</summary>
public sealed record TaskUpdated(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Priority = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Assignee = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Labels = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? DueDate = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rank = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Cleared = null) : IDomainEvent
{
    [JsonIgnore]
    public bool IsEmpty => Title is null && Description is null && Status is null && Priority is null && Assignee is null
                           && Labels is null && DueDate is null && Rank is null && (Cleared is null || Cleared.Count == 0);
}
