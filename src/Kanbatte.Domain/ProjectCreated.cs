using System.Text.Json.Serialization;

namespace Kanbatte.Domain;

/// <summary>
/// Schema 2: the project and its first owner, the user who created it, in the same event. Schema 1 (before users) is
/// upcast to a project without an owner.
/// </summary>
public sealed record ProjectCreated(
    string Key, string Name, string? Description, string? Repository,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UserRef? Owner = null) : IDomainEvent;
