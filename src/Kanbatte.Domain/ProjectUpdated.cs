using System.Text.Json.Serialization;

namespace Kanbatte.Domain;

/// <summary>Carries only what changed; <see cref="Cleared"/> names optional fields set to nothing.</summary>
public sealed record ProjectUpdated(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Repository = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Cleared = null) : IDomainEvent;
